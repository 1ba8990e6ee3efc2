import { Injectable } from '@nestjs/common';

import { OutcomesService } from '@/feedback/outcomes.service';
import { InteractionsRepository } from '@/leads/interactions.repository';

import type { OutcomeExample } from '@/scoring/weight-fit/outcome-engagement.util';
import {
  EngagementAtOutcomes,
  INTERACTION_BATCH_LEADS,
  inSlices,
  newestOutcomes,
  WEIGHT_FIT_MAX_OUTCOMES,
} from '@/scoring/weight-fit/outcome-examples.util';

export interface OutcomeExamples {
  readonly examples: OutcomeExample[];
  /** More current outcomes exist than were read (the newest `maxOutcomes` were). */
  readonly capped: boolean;
  readonly maxOutcomes: number;
}

/**
 * Reads a tenant's current outcomes and, for their leads, the interactions logged up to each
 * outcome, through the feedback and leads modules' tenant-scoped services (this module sits above
 * both: they import scoring, which holds the pure fit).
 */
@Injectable()
export class OutcomeExamplesReader {
  constructor(
    private readonly outcomes: OutcomesService,
    private readonly interactions: InteractionsRepository,
  ) {}

  async read(tenantId: string, maxOutcomes = WEIGHT_FIT_MAX_OUTCOMES): Promise<OutcomeExamples> {
    const { outcomes, interactions } = this;
    // The `{tenantId, current}` index's fields exactly (what mongo-java-server needs to use it);
    // sorted and limited by the engine, so no more than `maxOutcomes + 1` small records arrive.
    const records = await outcomes.find(
      tenantId,
      { current: true },
      {
        projection: { _id: 0, leadRef: 1, leadId: 1, outcome: 1, at: 1, recordedAt: 1 },
        sort: { at: -1, recordedAt: -1, _id: -1 },
        limit: maxOutcomes + 1,
      },
    );
    const newest = newestOutcomes(records, maxOutcomes);
    const engagement = new EngagementAtOutcomes(newest.outcomes);
    for (const batch of inSlices(newest.outcomes, INTERACTION_BATCH_LEADS)) {
      const latest = new Date(Math.max(...batch.map((outcome) => outcome.at.getTime())));
      // The `{tenantId, leadRef, occurredAt}` index's fields: MongoDB reads each lead's events up
      // to the batch's latest outcome from it. mongo-java-server uses no non-unique index and
      // matches `$in` linearly, so there each batch scans the tenant's events (measured: 0.55 s
      // per batch among 12,600 events); fine for local use, not for millions of events.
      const events = await interactions.find(
        tenantId,
        { leadRef: { $in: batch.map((outcome) => outcome.leadRef) }, occurredAt: { $lte: latest } },
        {
          projection: {
            _id: 0,
            leadRef: 1,
            occurredAt: 1,
            emailOpen: 1,
            visit: 1,
            secondsSpent: 1,
          },
        },
      );
      engagement.add(events);
    }
    return { examples: engagement.examples(), capped: newest.capped, maxOutcomes };
  }
}
