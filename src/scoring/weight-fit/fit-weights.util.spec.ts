import { scoreEngagement } from '../scorer/score-engagement.util';
import {
  componentColumns,
  DEFAULT_HALF_LIFE_CANDIDATES,
  fitWeights,
  halfLifeCandidates,
} from './fit-weights.util';
import { engagementAtOutcome } from './outcome-engagement.util';
import { daysAfter, plantedOutcomes, START } from './__tests__/synthetic-outcomes.factory';

const CAPS = [10, 20, 600] as const;

function prepared(outcomes: ReturnType<typeof plantedOutcomes>) {
  return {
    engagements: outcomes.map(engagementAtOutcome),
    times: outcomes.map((outcome) => outcome.at),
    labels: Uint8Array.from(outcomes, (outcome) => (outcome.converted ? 1 : 0)),
    train: outcomes.map((_, i) => i),
    caps: CAPS,
  };
}

describe('componentColumns', () => {
  const at = daysAfter(START, 20);
  const engagements = [
    // Half the opens' cap, one half-life (10 days) ago: 0.5 · 0.5.
    { emailOpens: 5, websiteVisits: 40, timeSpentSeconds: 150, lastActivityAt: daysAfter(at, -10) },
    { emailOpens: 3, websiteVisits: 2, timeSpentSeconds: 60, lastActivityAt: null },
    // Active "after" now (clock skew) counts as now: no decay.
    { emailOpens: -2, websiteVisits: 10, timeSpentSeconds: 900, lastActivityAt: daysAfter(at, 1) },
  ];
  const times = [at, at, at];
  const sut = componentColumns({
    engagements,
    times,
    rows: [0, 1, 2],
    caps: CAPS,
    halfLifeDays: 10,
  });

  it('is each feature’s normalised value times the decay (hand-worked)', () => {
    expect(sut.map((column) => Array.from(column))).toEqual([
      [0.25, 0, 0],
      [0.5, 0, 0.5],
      [0.125, 0, 1],
    ]);
  });

  it('adds up, weighted, to the scorer’s exact score for any weights on the simplex', () => {
    for (const weights of [
      [0.2, 0.5, 0.3],
      [1, 0, 0],
      [0.4, 0.35, 0.25],
    ] as const) {
      engagements.forEach((engagement, i) => {
        const exact = scoreEngagement(engagement, { weights, caps: CAPS, halfLifeDays: 10 }, at);
        const sum = weights.reduce<number>((s, w, j) => s + w * sut[j][i], 0);
        expect(sum * 100).toBeCloseTo(exact.exactScore, 10);
      });
    }
  });

  it('takes only the rows asked for, in their order', () => {
    const columns = componentColumns({
      engagements,
      times,
      rows: [2, 0],
      caps: CAPS,
      halfLifeDays: 10,
    });
    expect(Array.from(columns[0])).toEqual([0, 0.25]);
  });
});

describe('halfLifeCandidates', () => {
  it('puts the current half-life first, then the others ascending without repeats', () => {
    expect(halfLifeCandidates(7, [30, 3, 7, 14, 3])).toEqual([7, 3, 14, 30]);
    expect(halfLifeCandidates(8, DEFAULT_HALF_LIFE_CANDIDATES)).toEqual([
      8, 3, 5, 7, 10, 14, 21, 30, 45, 60,
    ]);
  });

  it('refuses a candidate updateScoringConfig would refuse', () => {
    for (const bad of [0, -1, 4000, NaN]) {
      expect(() => halfLifeCandidates(7, [3, bad])).toThrow(
        `half-life candidate ${bad} is outside [0.001, 3650] days`,
      );
    }
  });
});

describe('fitWeights', () => {
  it('picks the planted half-life and reports every candidate ascending', () => {
    const outcomes = plantedOutcomes({
      count: 3000,
      seed: 5,
      model: { weights: [0.3, 0.3, 0.4], halfLifeDays: 30, intercept: -6, scale: 16 },
    });
    const sut = fitWeights({ ...prepared(outcomes), halfLives: [7, 3, 14, 30, 60] });
    expect(sut.halfLifeDays).toBe(30);
    expect(sut.halfLives.map((fit) => fit.halfLifeDays)).toEqual([3, 7, 14, 30, 60]);
    const best = Math.min(...sut.halfLives.map((fit) => fit.trainLogLoss));
    expect(sut.trainLogLoss).toBe(best);
    expect(sut.scale).toBeGreaterThan(10);
  });

  it('keeps the current half-life when no other fits better', () => {
    // Every lead active at its outcome time: the decay is 1 whatever the half-life.
    const outcomes = plantedOutcomes({
      count: 200,
      seed: 3,
      model: { weights: [0.5, 0.5, 0], halfLifeDays: 10, intercept: -3, scale: 6 },
    }).map((outcome) => ({
      ...outcome,
      interactions: outcome.interactions.map((interaction) => ({
        ...interaction,
        occurredAt: outcome.at,
      })),
    }));
    const sut = fitWeights({ ...prepared(outcomes), halfLives: [21, 3, 7] });
    expect(sut.halfLifeDays).toBe(21);
    const losses = sut.halfLives.map((fit) => fit.trainLogLoss);
    expect(losses[1]).toBeCloseTo(losses[0], 12);
  });

  it('has no weights when engagement only lowers the chance of converting', () => {
    const outcomes = plantedOutcomes({
      count: 400,
      seed: 9,
      model: { weights: [0.4, 0.3, 0.3], halfLifeDays: 7, intercept: 1, scale: -8 },
    });
    const sut = fitWeights({ ...prepared(outcomes), halfLives: [7] });
    expect(sut.weights).toBeNull();
    expect(sut.scale).toBe(0);
  });

  it('needs a half-life to try', () => {
    const outcomes = plantedOutcomes({
      count: 10,
      seed: 1,
      model: { weights: [1, 0, 0], halfLifeDays: 7, intercept: 0, scale: 1 },
    });
    expect(() => fitWeights({ ...prepared(outcomes), halfLives: [] })).toThrow(
      'no half-life to try',
    );
  });
});
