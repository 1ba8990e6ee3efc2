import { tableFromRows } from '@/ml/dataset/dataset-table.util';
import { rawFeaturesOf } from '@/ml/features/raw-features.util';
import {
  fitTransformation,
  normalizeTransformation,
  transformFeatures,
  transformTable,
} from '@/ml/transform/transformation.util';

import { SnapshotLead, snapshotRow } from './snapshot-row.util';

function closedLead(i: number): SnapshotLead {
  return {
    leadId: `L-${i}`,
    ownerId: null,
    attributes: {
      age: 20 + ((i * 7) % 50),
      job: ['admin.', 'services', 'retired'][i % 3],
      ...(i % 4 === 0 ? {} : { balance: (i * 113) % 900 }),
      address: { city: ['Lyon', 'Porto'][i % 2] },
    },
    outcome: {
      outcome: i % 3 === 0 ? 'CONVERTED' : 'LOST',
      at: new Date(Date.UTC(2026, 0, 1 + i)),
      emailOpens: i % 5,
      websiteVisits: (i * 3) % 7,
      timeSpentSeconds: (i * 41) % 300,
      lastActivityAt: i % 6 === 0 ? null : new Date(Date.UTC(2025, 11, 20 + (i % 10))),
    },
  };
}

describe('training rows and live scoring build the same model inputs', () => {
  it('gives a lead the same vector as a training row and when scored at its outcome time', () => {
    const leads = Array.from({ length: 30 }, (_, i) => closedLead(i));
    const table = tableFromRows(leads.map(snapshotRow));
    const fitted = fitTransformation(
      normalizeTransformation({
        numeric: { log1p: ['balance'] },
        categorical: { minFrequency: 1 },
      }),
      table,
    );
    const training = transformTable(fitted, table);
    for (const lead of leads) {
      const row = table.leadIds.indexOf(lead.leadId);
      // What the scorer does with a live lead (its engagement and attributes, as of a moment).
      const live = transformFeatures(
        fitted,
        rawFeaturesOf(
          {
            emailOpens: lead.outcome.emailOpens,
            websiteVisits: lead.outcome.websiteVisits,
            timeSpentSeconds: lead.outcome.timeSpentSeconds,
            lastActivityAt: lead.outcome.lastActivityAt,
            attributes: lead.attributes ?? {},
          },
          lead.outcome.at,
        ),
      );
      expect(Array.from(live)).toEqual(
        Array.from(training.matrix.subarray(row * training.cols, (row + 1) * training.cols)),
      );
    }
    expect(fitted.outputNames).toEqual(
      expect.arrayContaining(['address.city=Lyon', 'balance:missing']),
    );
  });
});
