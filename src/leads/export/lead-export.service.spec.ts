import { Writable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import type { LeadModel } from '@/leads/models/lead.model';
import type { ScoreWalks } from '@/scoring/score-walks.service';
import type { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';
import { ScoreTrend } from '@/scoring/trend/score-trend.util';

import type { LeadRankingService } from '../lead-ranking.service';
import type { LeadsService } from '../leads.service';
import type { ExportRecord } from './lead-export-row.util';
import type { LeadExportMetrics } from './lead-export.metrics';
import { EXPORT_CHUNK_ROWS, EXPORT_READ_BATCH, LeadExportService } from './lead-export.service';
import type { LeadExportSlots } from './lead-export-slots.service';

const caller: AuthUser = {
  userId: '65f1c0ffee0123456789abce',
  tenantId: '65f1c0ffee0123456789abcf',
  role: Role.ADMIN,
  jti: 'j',
  exp: 0,
};

function viewOf(n: number): LeadModel {
  return {
    id: n.toString(16).padStart(24, '0'),
    leadId: `L-${n}`,
    name: `Lead ${n}`,
    email: null,
    ownerId: null,
    status: 'NEW',
    score: 12.5,
    tier: PriorityTier.COLD,
    modelScore: 12.5,
    override: null,
    trend: ScoreTrend.STEADY,
    isStale: false,
    breakdown: {
      modelType: 'WEIGHTED_SUM',
      baseValue: null,
      logit: null,
      explanationMethod: null,
      factors: [],
      rawScore: 0.1,
      decayFactor: 1,
      daysSinceLastActivity: 0,
      terms: [
        {
          feature: 'emailOpens',
          value: 1,
          cap: 10,
          normalized: 0.1,
          weight: 0.4,
          contribution: 12.5,
        },
      ],
      modelId: 'weighted-sum',
      modelVersion: 1,
      configVersion: 1,
      computedAt: new Date('2026-12-03T10:00:00Z'),
    },
    engagement: {
      emailOpens: 1,
      websiteVisits: 0,
      timeSpentSeconds: 0,
      lastActivityAt: new Date('2026-12-02T10:00:00Z'),
    },
    attributes: null,
    createdAt: null,
  };
}

/** The service over `total` fake scores; records what the export read and when the walk ended. */
function setUp(total: number) {
  const seen = { read: 0, closed: false, batchSize: 0, viewsBeforeRead: [] as number[] };
  let views = 0;
  const scores = {
    async *exportScores(_tenantId: string, _filter: unknown, batchSize: number) {
      seen.batchSize = batchSize;
      try {
        for (let n = 0; n < total; n++) {
          // How many views were made before this score was read: the export keeps no backlog.
          await Promise.resolve(); // as the driver's cursor: each document a promise
          seen.viewsBeforeRead.push(views);
          seen.read++;
          yield { n } as unknown as LeadScore;
        }
      } finally {
        seen.closed = true;
      }
    },
  } as unknown as ScoreWalks;
  const ranking = {
    view: (score: { n: number }) => {
      views++;
      return viewOf(score.n);
    },
  } as unknown as LeadRankingService;
  const leads = { ownerScope: (_c: AuthUser, requested?: string) => requested } as LeadsService;
  const released: boolean[] = [];
  const slots = {
    acquire: () => Promise.resolve({ release: () => Promise.resolve(void released.push(true)) }),
  } as unknown as LeadExportSlots;
  const counted = { rows: 0, outcomes: [] as string[] };
  const metrics = {
    rows: { inc: (_labels: unknown, n: number) => (counted.rows += n) },
    exports: { inc: ({ outcome }: { outcome: string }) => counted.outcomes.push(outcome) },
  } as unknown as LeadExportMetrics;
  const sut = new LeadExportService(leads, scores, ranking, slots, metrics);
  return { sut, seen, counted, released };
}

function sink(): { out: Writable; text: () => string } {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      done();
    },
  });
  return { out, text: () => Buffer.concat(parts).toString('utf8') };
}

describe('LeadExportService', () => {
  it(`hands records on in chunks of ${EXPORT_CHUNK_ROWS}, each made as its score is read`, async () => {
    const total = EXPORT_CHUNK_ROWS * 2 + 7;
    const { sut, seen } = setUp(total);
    const chunks: ExportRecord[][] = [];
    for await (const chunk of sut.records(caller, {})) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.length)).toEqual([EXPORT_CHUNK_ROWS, EXPORT_CHUNK_ROWS, 7]);
    expect(chunks.flat().map((record) => record.leadId)).toEqual(
      Array.from({ length: total }, (_, n) => `L-${n}`),
    );
    expect(seen.batchSize).toBe(EXPORT_READ_BATCH);
    // Score n is read only once the n before it are views already: no batch of documents waits.
    expect(seen.viewsBeforeRead).toEqual(Array.from({ length: total }, (_, n) => n));
    expect(seen.closed).toBe(true);
  });

  it('streams every row as NDJSON, counts them, and frees the slot', async () => {
    const total = EXPORT_CHUNK_ROWS + 3;
    const { sut, counted, released } = setUp(total);
    const { out, text } = sink();
    const outcome = await sut.stream({
      caller,
      filter: {},
      format: 'ndjson',
      out,
      start: () => undefined,
    });

    expect(outcome).toBe('completed');
    const lines = text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(total);
    expect((JSON.parse(lines[total - 1]) as ExportRecord).leadId).toBe(`L-${total - 1}`);
    expect(counted).toEqual({ rows: total, outcomes: ['completed'] });
    expect(released).toEqual([true]);
  });

  it('writes the CSV header once, before the first chunk', async () => {
    const { sut } = setUp(EXPORT_CHUNK_ROWS + 1);
    const { out, text } = sink();
    await sut.stream({ caller, filter: {}, format: 'csv', out, start: () => undefined });

    const rows = text().split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(EXPORT_CHUNK_ROWS + 2);
    expect(rows.filter((row) => row.startsWith('id,leadId,'))).toHaveLength(1);
    expect(rows[0].startsWith('id,leadId,')).toBe(true);
  });

  it('stops reading and closes the walk when the response goes away', async () => {
    const { sut, seen, counted } = setUp(EXPORT_CHUNK_ROWS * 100);
    const out = new Writable({
      write(_chunk, _encoding, done) {
        // The client leaves on the first chunk.
        out.destroy();
        done();
      },
    });
    const outcome = await sut.stream({
      caller,
      filter: {},
      format: 'ndjson',
      out,
      start: () => undefined,
    });

    expect(outcome).toBe('aborted');
    expect(seen.closed).toBe(true);
    expect(seen.read).toBeLessThan(EXPORT_CHUNK_ROWS * 4);
    expect(counted.outcomes).toEqual(['aborted']);
  });
});
