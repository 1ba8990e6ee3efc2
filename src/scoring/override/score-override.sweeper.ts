import { Injectable } from '@nestjs/common';

import { PeriodicSweeper } from '@/common/queues/periodic-sweeper';

import { ScoreOverrideService } from './score-override.service';

/**
 * Every 30 s: TTL indexes are not enforced by every engine, and an expiry must be written (history,
 * audit, event, rank), not only hidden. Reads expire what they meet in between, so the sweep's pace
 * bounds only how long a lapsed override can keep a place in a list nobody reads.
 */
const SWEEP_EVERY_MS = 30_000;

@Injectable()
export class ScoreOverrideSweeper extends PeriodicSweeper {
  constructor(private readonly overrides: ScoreOverrideService) {
    super(ScoreOverrideSweeper.name, 'score override', SWEEP_EVERY_MS);
  }

  override async sweep(now = new Date()): Promise<number> {
    const expired = await this.overrides.expireDue(now);
    if (expired > 0) this.logger.log({ msg: 'score overrides expired', count: expired });
    return expired;
  }
}
