import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';

import { hasLiveJob, PeriodicSweeper } from '@/common/queues/periodic-sweeper';

import { DatasetBuild, DatasetBuildStatus } from '../schemas/dataset-build.schema';
import { BUILD_HEARTBEAT_MS, DatasetBuildsService } from './dataset-builds.service';
import { DATASETS_QUEUE } from './dataset-queue.constants';

/** A QUEUED build this old with no job in the queue was never queued, or its job was lost. */
export const QUEUED_GRACE_MS = 60_000;
/** A RUNNING build whose record saw no write for this long, and no live job holds, lost its process. */
export const BUILD_LEASE_MS = 6 * BUILD_HEARTBEAT_MS;
const SWEEP_EVERY_MS = 60_000;

/**
 * Workers look for dataset builds that will never end on their own and record them FAILED:
 * QUEUED with no job in the queue (an enqueue that failed, Redis emptied), or RUNNING past the
 * lease with no live job (an inline build whose api process died; a job whose failure was never
 * recorded). Each is written conditionally on the record as read, so several workers, and a
 * build that is merely slow and renews its heartbeat, are safe.
 */
@Injectable()
export class DatasetBuildsSweeper extends PeriodicSweeper {
  constructor(
    private readonly builds: DatasetBuildsService,
    @InjectQueue(DATASETS_QUEUE) private readonly queue: Queue,
  ) {
    super(DatasetBuildsSweeper.name, 'dataset build', SWEEP_EVERY_MS);
  }

  /** Records FAILED the builds stuck at `now`; answers how many. */
  override async sweep(now = new Date()): Promise<number> {
    let failed = 0;
    const before = new Date(now.getTime() - Math.min(QUEUED_GRACE_MS, BUILD_LEASE_MS));
    for await (const build of this.builds.unfinishedBefore(before)) {
      const reason = await this.stuckReason(build, now);
      if (reason && (await this.builds.failStuck(build, reason))) {
        failed++;
        this.logger.warn({ msg: 'dataset build swept', buildId: build._id.toHexString(), reason });
      }
    }
    return failed;
  }

  private async stuckReason(build: DatasetBuild, now: Date): Promise<string | null> {
    const idle = now.getTime() - build.updatedAt.getTime();
    const queued = build.status === DatasetBuildStatus.QUEUED;
    if (idle < (queued ? QUEUED_GRACE_MS : BUILD_LEASE_MS)) return null;
    if (await hasLiveJob(this.queue, build._id.toHexString())) return null;
    return queued
      ? 'the build never started: its job is not in the queue (the enqueue failed or the queue lost it); create the version again'
      : `the build stopped: no process has worked on it for ${Math.round(idle / 1000)} s and no job holds it; create the version again`;
  }
}
