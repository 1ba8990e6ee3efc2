import { abArmOf } from './ab-assignment.util';
import { AbReportBuilder } from './ab-report.util';

/** Lead ids in arm A and in arm B of test `t-1` at an even split, found by the same hash. */
function idsByArm(count: number): { A: string[]; B: string[] } {
  const ids = { A: [] as string[], B: [] as string[] };
  for (let i = 0; ids.A.length < count || ids.B.length < count; i++) {
    const id = `L-${i}`;
    const arm = abArmOf('t-1', id, 0.5);
    if (ids[arm].length < count) ids[arm].push(id);
  }
  return ids;
}

describe('AbReportBuilder', () => {
  it('counts leads and outcomes by arm, by tier, with the pooled z-test', () => {
    const ids = idsByArm(200);
    const report = new AbReportBuilder('t-1', 0.5);
    for (const id of [...ids.A, ...ids.B]) report.addLead(id);
    // A: 40 of 200 converted (10 of 20 HOT), B: 25 of 200 (5 of 20 HOT); the rest COLD.
    ids.A.forEach((id, i) =>
      report.addOutcome(id, i < 40, i < 10 || (i >= 40 && i < 50) ? 'HOT' : 'COLD'),
    );
    ids.B.forEach((id, i) =>
      report.addOutcome(id, i < 25, i < 5 || (i >= 25 && i < 40) ? 'HOT' : 'COLD'),
    );
    const { arms, significance } = report.result();
    expect(arms[0]).toMatchObject({
      arm: 'A',
      leads: 200,
      outcomes: 200,
      converted: 40,
      conversionRate: 0.2,
    });
    expect(arms[1]).toMatchObject({
      arm: 'B',
      leads: 200,
      outcomes: 200,
      converted: 25,
      conversionRate: 0.125,
    });
    expect(arms[0].byTier).toEqual([
      { tier: 'HOT', outcomes: 20, converted: 10, conversionRate: 0.5 },
      { tier: 'COLD', outcomes: 180, converted: 30, conversionRate: 30 / 180 },
    ]);
    expect(arms[1].byTier[0]).toEqual({
      tier: 'HOT',
      outcomes: 20,
      converted: 5,
      conversionRate: 0.25,
    });
    // The hand-worked test of two-proportion.util.spec.ts: z = 2.03302, p = 0.042050.
    expect(significance.z).toBeCloseTo(2.0330224427150916, 10);
    expect(significance.pValue).toBeCloseTo(0.04205025566215499, 10);
  });

  it('leaves rates and the test empty without outcomes, and unscored outcomes out of the tiers', () => {
    const report = new AbReportBuilder('t-1', 0.5);
    report.addLead('L-1');
    const empty = report.result();
    expect(empty.arms.map((arm) => arm.conversionRate)).toEqual([null, null]);
    expect(empty.significance.pValue).toBeNull();
    report.addOutcome('L-1', true, null);
    const arm = report.result().arms.find((a) => a.outcomes === 1)!;
    expect(arm.byTier).toEqual([]);
    expect(arm.conversionRate).toBe(1);
  });
});
