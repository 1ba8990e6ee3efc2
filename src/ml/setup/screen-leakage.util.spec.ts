import { ColumnRole } from './column-role.util';
import { profileDataset } from './profile-dataset.util';
import {
  DEFAULT_LEAKAGE_THRESHOLDS,
  fixed,
  LEAKAGE_MESSAGE,
  screenLeakage,
} from './screen-leakage.util';
import { makeColumnProfile, makeProfile, syntheticLeads } from './__tests__/setup-fixtures.factory';

describe('screenLeakage on synthetic leads (2,000 rows, seeded)', () => {
  it('flags the planted leak, and only it', () => {
    const profile = profileDataset(syntheticLeads({ rows: 2000, seed: 7, leak: true }));
    const flags = screenLeakage(profile);
    expect(flags.map((flag) => [flag.column, flag.kind, flag.message])).toEqual([
      ['closedValue', 'POSSIBLE_LEAKAGE', LEAKAGE_MESSAGE],
    ]);
    expect(flags[0].evidence!.singleFeatureAuc).toBeGreaterThan(0.95);
    expect(flags[0].reason).toMatch(/^its AUC alone is 0\.9\d\d \(≥ 0\.85\)/);
  });

  it('flags nothing without it', () => {
    const profile = profileDataset(syntheticLeads({ rows: 2000, seed: 7, leak: false }));
    expect(profile.quickModel.auc).toBeGreaterThan(0.7);
    expect(screenLeakage(profile)).toEqual([]);
  });
});

describe('screenLeakage rules, on hand-made profiles (quick model AUC 0.8: lift 0.3)', () => {
  const screen = (single: number | null, drop: number | null, auc: number | null = 0.8) =>
    screenLeakage(
      makeProfile({
        quickModelAuc: auc,
        columns: [
          makeColumnProfile({ name: 'x', singleFeatureAuc: single, dropColumnImportance: drop }),
        ],
      }),
    );

  it('flags an AUC of 0.85 alone, whatever the model', () => {
    expect(screen(0.85, null, null)).toHaveLength(1);
    expect(screen(0.849, null, null)).toEqual([]);
  });

  it('flags a feature with half the lift alone and a fifth of it lost without it', () => {
    // Alone 0.65: 0.15 of 0.3 = 50 %. Dropped: 0.06 of 0.3 = 20 %.
    const [flag] = screen(0.65, 0.06);
    expect(flag).toEqual({
      column: 'x',
      kind: 'POSSIBLE_LEAKAGE',
      message: LEAKAGE_MESSAGE,
      reason:
        "alone it reaches AUC 0.650, 50 % of the quick model's lift over 0.5 (AUC 0.800), and without it the model loses 0.060, 20 % of that lift (thresholds 50 % and 20 %): a value filled in after the outcome looks like this",
      evidence: {
        singleFeatureAuc: 0.65,
        dropColumnImportance: 0.06,
        quickModelAuc: 0.8,
        aloneShareOfLift: expect.closeTo(0.5, 12),
        dropShareOfLift: expect.closeTo(0.2, 12),
      },
    });
  });

  it('needs both shares: strong alone but replaceable, or leaned on but weak alone, is not flagged', () => {
    expect(screen(0.7, 0.05)).toEqual([]);
    expect(screen(0.64, 0.2)).toEqual([]);
    expect(screen(0.7, null)).toEqual([]);
  });

  it('does not read shares of a model that learnt almost nothing', () => {
    // Lift 0.04 < 0.05: 0.54 alone would be all of it.
    expect(screen(0.54, 0.04, 0.54)).toEqual([]);
  });

  it('takes other thresholds', () => {
    expect(
      screenLeakage(
        makeProfile({ columns: [makeColumnProfile({ name: 'x', singleFeatureAuc: 0.8 })] }),
        { singleFeatureAuc: 0.75 },
      ),
    ).toHaveLength(1);
    expect(DEFAULT_LEAKAGE_THRESHOLDS.singleFeatureAuc).toBe(0.85);
  });

  it('proposes removing identifiers and constants, and leaves the rest', () => {
    const flags = screenLeakage(
      makeProfile({
        columns: [
          makeColumnProfile({
            name: 'id',
            role: ColumnRole.IDENTIFIER,
            roleReason: '40 distinct values on 40 of 40 rows, unique per row (text without spaces)',
          }),
          makeColumnProfile({
            name: 'country',
            role: ColumnRole.CONSTANT,
            roleReason: 'the same value ("PT") on all 40 rows',
          }),
          makeColumnProfile({ name: 'notes', role: ColumnRole.FREE_TEXT }),
        ],
      }),
    );
    expect(flags).toEqual([
      {
        column: 'id',
        kind: 'PROPOSE_REMOVAL',
        message: 'identifier: remove from the model inputs',
        reason:
          '40 distinct values on 40 of 40 rows, unique per row (text without spaces): nothing in it generalizes to a new lead',
        evidence: null,
      },
      {
        column: 'country',
        kind: 'PROPOSE_REMOVAL',
        message: 'constant: remove from the model inputs',
        reason: 'the same value ("PT") on all 40 rows: nothing in it generalizes to a new lead',
        evidence: null,
      },
    ]);
  });
});

describe('fixed', () => {
  it('writes three decimals and no negative zero', () => {
    expect(fixed(0.80619)).toBe('0.806');
    expect(fixed(-0.0004)).toBe('0.000');
  });
});
