import cases from './__fixtures__/score-cases.json';
import { PriorityTier, tierFor } from './priority-tier.util';
import {
  apportionPoints,
  Engagement,
  roundScore,
  scoreEngagement,
  ScoringParameters,
} from './score-engagement.util';

interface FixtureCase {
  name: string;
  input: {
    engagement: {
      emailOpens: unknown;
      websiteVisits: unknown;
      timeSpentSeconds: unknown;
      lastActivityAt: string | null;
    };
    config: { weights: number[]; caps: number[]; halfLifeDays: number };
    now: string;
  };
  expected:
    | { error: string }
    | {
        score: number;
        exactScore: number;
        rawScore: number;
        decayFactor: number;
        daysSinceLastActivity: number | null;
        normalized: number[];
        contributions: number[];
        exactContributions: number[];
      };
  /** Only on fixtures whose exact score is a half-way point (x.xx5). */
  halfway?: { exactScore: string; rounds: 'up'; shown: number; why: string };
}

/** A number of points in whole hundredths, for comparing to the cent without float noise. */
const cents = (points: number) => Math.round(points * 100);

const DEFAULTS: ScoringParameters = {
  weights: [0.4, 0.35, 0.25],
  caps: [10, 20, 600],
  halfLifeDays: 7,
};

/** JSON cannot hold NaN or Infinity: the fixtures spell them as strings. */
function revive(value: unknown): unknown {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  return value;
}

function toEngagement(raw: FixtureCase['input']['engagement']): Engagement {
  return {
    emailOpens: revive(raw.emailOpens) as number,
    websiteVisits: revive(raw.websiteVisits) as number,
    timeSpentSeconds: revive(raw.timeSpentSeconds) as number,
    lastActivityAt: raw.lastActivityAt === null ? null : new Date(raw.lastActivityAt),
  };
}

describe('scoreEngagement (golden fixtures)', () => {
  const fixtures = cases as FixtureCase[];

  it('has at least 20 cases', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures.map((c) => [c.name, c] as const))('%s', (_name, fixture) => {
    const params = fixture.input.config as unknown as ScoringParameters;
    const run = () =>
      scoreEngagement(toEngagement(fixture.input.engagement), params, new Date(fixture.input.now));

    if ('error' in fixture.expected) {
      expect(run).toThrow(fixture.expected.error);
      return;
    }
    const result = run();
    const expected = fixture.expected;
    expect(result.score).toBe(expected.score);
    expect(result.exactScore).toBeCloseTo(expected.exactScore, 9);
    expect(result.rawScore).toBeCloseTo(expected.rawScore, 12);
    expect(result.decayFactor).toBeCloseTo(expected.decayFactor, 12);
    if (expected.daysSinceLastActivity === null) expect(result.daysSinceLastActivity).toBeNull();
    else expect(result.daysSinceLastActivity).toBeCloseTo(expected.daysSinceLastActivity, 9);
    result.terms.forEach((term, i) => {
      expect(term.normalized).toBeCloseTo(expected.normalized[i], 12);
      expect(term.contribution).toBe(expected.contributions[i]);
      expect(result.exactContributions[i]).toBeCloseTo(expected.exactContributions[i], 9);
    });
    const exactSum = result.exactContributions.reduce((total, term) => total + term, 0);
    expect(exactSum).toBeCloseTo(result.exactScore, 9);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(100);
  });
});

describe('the shown score and terms (rounding rule)', () => {
  const fixtures = (cases as FixtureCase[]).filter((c) => !('error' in c.expected));

  it.each(fixtures.map((c) => [c.name, c] as const))(
    '%s: the expected terms are whole hundredths adding up to the score',
    (_name, fixture) => {
      const expected = fixture.expected as Exclude<FixtureCase['expected'], { error: string }>;
      for (const contribution of expected.contributions)
        expect(contribution).toBe(cents(contribution) / 100);
      const sum = expected.contributions.reduce((total, term) => total + cents(term), 0);
      expect(sum).toBe(cents(expected.score));
    },
  );

  it('has fixtures on half-way points, each rounding up as it states', () => {
    const halfway = fixtures.filter((c) => c.halfway);
    expect(halfway.length).toBeGreaterThanOrEqual(4);
    for (const fixture of halfway) {
      const { exactScore, shown } = fixture.halfway!;
      expect(exactScore).toMatch(/^\d+\.\d\d5$/);
      expect(cents(shown)).toBe(cents(Number(exactScore) - 0.005) + 1);
      expect((fixture.expected as { score: number }).score).toBe(shown);
    }
  });

  // A grid over engagement, decay and weights: every result's terms add up to its score to the
  // cent, and each shown term is within a hundredth of its exact share.
  const grid: [string, Engagement, ScoringParameters][] = [];
  const weightSets: ScoringParameters['weights'][] = [
    [0.4, 0.35, 0.25],
    [0.9, 0.9, 0.9],
    [1 / 3, 1 / 3, 1 / 3],
    [0.15, 0.6, 0.05],
  ];
  const base = new Date('2026-11-01T12:00:00Z');
  for (const weights of weightSets)
    for (const emailOpens of [0, 1, 3, 7, 10])
      for (const websiteVisits of [0, 1, 5, 13])
        for (const timeSpentSeconds of [0, 7, 89, 333.3])
          for (const hoursAgo of [0, 5, 49, 170]) {
            const lastActivityAt = new Date(base.getTime() - hoursAgo * 3_600_000);
            grid.push([
              `${weights.join('/')} ${emailOpens}/${websiteVisits}/${timeSpentSeconds} ${hoursAgo}h`,
              { emailOpens, websiteVisits, timeSpentSeconds, lastActivityAt },
              { ...DEFAULTS, weights },
            ]);
          }

  it(`adds up to the cent over a grid of ${grid.length} inputs`, () => {
    const wrong: string[] = [];
    for (const [label, engagement, params] of grid) {
      const result = scoreEngagement(engagement, params, base);
      const shown = result.terms.reduce((total, term) => total + cents(term.contribution), 0);
      const offBy = result.terms.map((term, i) =>
        Math.abs(term.contribution - result.exactContributions[i]),
      );
      if (shown !== cents(result.score) || offBy.some((d) => d >= 0.01 + 1e-9))
        wrong.push(
          `${label}: ${result.score} vs ${result.terms.map((t) => t.contribution).join(' + ')}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [0.125, 0.13],
    [51.37499999999999, 51.38],
    [40.37500000000001, 40.38],
    [51.3749999999, 51.38],
    [51.374999994, 51.37],
    [51.37500001, 51.38],
    [99.995, 100],
    [0, 0],
  ])('shows %p as %p (ties up, within 1e-8 of a point)', (exact, shown) => {
    expect(roundScore(exact)).toBe(shown);
  });

  it('apportions by largest remainder, ties to the earlier part', () => {
    expect(apportionPoints(3.38, [1.125, 1.125, 1.125])).toEqual([1.13, 1.13, 1.12]);
    expect(apportionPoints(100, [100 / 3, 100 / 3, 100 / 3])).toEqual([33.34, 33.33, 33.33]);
    expect(apportionPoints(10, [1.004, 2.007, 6.989])).toEqual([1, 2.01, 6.99]);
    expect(apportionPoints(12.35, [12.35, 0, 0])).toEqual([12.35, 0, 0]);
    expect(apportionPoints(0, [])).toEqual([]);
  });
});

describe('tierFor', () => {
  it.each([
    [100, PriorityTier.HOT],
    [70, PriorityTier.HOT],
    [69.99, PriorityTier.WARM],
    [40, PriorityTier.WARM],
    [39.99, PriorityTier.COLD],
    [0, PriorityTier.COLD],
  ])('%p with the default thresholds is %s', (score, tier) => {
    expect(tierFor(score, { hot: 70, warm: 40 })).toBe(tier);
  });

  it('follows tenant thresholds', () => {
    expect(tierFor(55, { hot: 50, warm: 20 })).toBe(PriorityTier.HOT);
    expect(tierFor(15, { hot: 50, warm: 20 })).toBe(PriorityTier.COLD);
  });
});
