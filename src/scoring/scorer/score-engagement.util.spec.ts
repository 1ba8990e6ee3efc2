import cases from './__fixtures__/score-cases.json';
import { PriorityTier, tierFor } from './priority-tier.util';
import { Engagement, scoreEngagement, ScoringParameters } from './score-engagement.util';

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
      };
}

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
      expect(term.contribution).toBeCloseTo(expected.contributions[i], 9);
    });
    const sum = result.terms.reduce((total, term) => total + term.contribution, 0);
    expect(sum).toBeCloseTo(result.exactScore, 9);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(100);
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
