import { Types } from 'mongoose';

import { LeadScoringService } from './lead-scoring.service';
import { EffectiveScoringConfig } from './scoring-config.service';
import { WEIGHTED_SUM_CHOICE } from './scoring-model.registry';
import { ScoreChangeReason } from './schemas/score-history.schema';

/**
 * Which configuration a live write scores with (LeadScoringService.liveConfig and the lost-race
 * path): the cached one, or the current one read again. Stand-ins for MongoDB: `reads` answers
 * each read of the stored scores in turn, `writes` how many of each conditional write took.
 */
function configOf(version: number, emailOpens = 0.4): EffectiveScoringConfig {
  return {
    version,
    parameters: { weights: [emailOpens, 0.35, 0.25], caps: [10, 20, 1800], halfLifeDays: 7 },
    thresholds: { hot: 70, warm: 40 },
    createdAt: null,
    createdBy: null,
  };
}

const ref = new Types.ObjectId();

function storedScore(leadVersion: number, configVersion: number) {
  return {
    _id: ref,
    leadRef: ref,
    leadId: 'L-1',
    name: null,
    email: null,
    ownerId: null,
    status: 'OPEN',
    emailOpens: 1,
    websiteVisits: 0,
    timeSpentSeconds: 0,
    lastActivityAt: new Date('2026-12-01T00:00:00Z'),
    score: 10,
    tier: 'COLD',
    configVersion,
    modelId: 'weighted-sum',
    modelVersion: 1,
    historyCount: 1,
    leadVersion,
    computedAt: new Date(0),
    trendPoints: [],
  };
}

/** In every case: this process has version 2 cached; the database holds version 3. */
const CACHED = configOf(2, 0.8);
const CURRENT = configOf(3, 0.1);

function setUp({ reads, took }: { reads: ReturnType<typeof storedScore>[][]; took: number[] }) {
  const written: { configVersion: number; emailOpens: number }[][] = [];
  const writes = {
    readScores: jest.fn(() => Promise.resolve(reads.shift() ?? [])),
    writeConditionally: jest.fn(
      (
        _tenantId: string,
        batch: {
          doc: {
            configVersion: number;
            breakdown: { terms: { feature: string; weight: number }[] };
          };
        }[],
      ) => {
        written.push(
          batch.map(({ doc }) => ({
            configVersion: doc.configVersion,
            emailOpens: doc.breakdown.terms.find((term) => term.feature === 'emailOpens')!.weight,
          })),
        );
        return Promise.resolve(took.shift() ?? batch.length);
      },
    ),
  };
  const configs = {
    cached: jest.fn(() => Promise.resolve(CACHED)),
    current: jest.fn(() => Promise.resolve(CURRENT)),
  };
  const metrics = {
    timed: (_stage: string, work: () => unknown) => work(),
    duration: { startTimer: () => () => undefined },
    stage: () => undefined,
    scored: { inc: () => undefined },
  };
  const service = new LeadScoringService(
    writes as never,
    configs as never,
    { afterWritten: () => Promise.resolve({ scored: 1, changed: 1 }) } as never,
    { current: () => Promise.resolve(WEIGHTED_SUM_CHOICE) } as never,
    metrics as never,
    { record: () => Promise.resolve() } as never,
    { scoring: { trendWindowDays: 30 } } as never,
  );
  const score = (leadVersion: number, config?: EffectiveScoringConfig) =>
    service.scoreSnapshots(
      new Types.ObjectId().toHexString(),
      [{ ...storedScore(leadVersion, 0), version: leadVersion }],
      ScoreChangeReason.INTERACTION,
      config ? { config } : {},
    );
  return { score, written, configs };
}

describe('LeadScoringService: the configuration of a live write', () => {
  it('is the cached one while the stored score is of that version or older', async () => {
    const { score, written, configs } = setUp({
      reads: [[storedScore(5, 2)]],
      took: [1],
    });
    await score(6);
    expect(written).toEqual([[{ configVersion: 2, emailOpens: 0.8 }]]);
    expect(configs.current).not.toHaveBeenCalled();
  });

  it('is read again when the stored score is of a newer version than the cached one', async () => {
    const { score, written, configs } = setUp({
      reads: [[storedScore(5, 3)]],
      took: [1],
    });
    await score(6);
    expect(written).toEqual([[{ configVersion: 3, emailOpens: 0.1 }]]);
    expect(configs.current).toHaveBeenCalledTimes(1);
  });

  it('is read from the database for a lead without a stored score (its first)', async () => {
    const { score, written, configs } = setUp({
      reads: [[]],
      took: [1],
    });
    await score(1);
    expect(written).toEqual([[{ configVersion: 3, emailOpens: 0.1 }]]);
    expect(configs.cached).not.toHaveBeenCalled();
  });

  it('is read again when a write lost to a score of a newer version', async () => {
    // Read at version 2; another process writes the lead at version 3 first (lead version 6 too).
    const { score, written, configs } = setUp({
      reads: [[storedScore(5, 2)], [storedScore(6, 3)]],
      took: [0, 1],
    });
    await score(7);
    expect(written).toEqual([
      [{ configVersion: 2, emailOpens: 0.8 }],
      [{ configVersion: 3, emailOpens: 0.1 }],
    ]);
    expect(configs.current).toHaveBeenCalledTimes(1);
  });
});

describe('LeadScoringService: a lost race against a score of a newer configuration', () => {
  it.each([
    ['at the same lead version', 5],
    ['at a newer lead version', 6],
  ])(
    'leaves that score alone when the caller fixed an older configuration (%s)',
    async (_, wonAt) => {
      // A batch job of version 2 still running when version 3's wrote the lead first.
      const { score, written, configs } = setUp({
        reads: [[storedScore(5, 1)], [storedScore(wonAt, 3)]],
        took: [0],
      });
      await expect(score(5, CACHED)).resolves.toBeDefined();
      expect(written).toEqual([[{ configVersion: 2, emailOpens: 0.8 }]]);
      expect(configs.current).not.toHaveBeenCalled();
    },
  );
});
