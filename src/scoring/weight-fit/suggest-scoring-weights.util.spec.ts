import { createValidationPipe } from '@/common/validation/app-validation.pipe';

import { UpdateScoringConfigInput } from '../models/scoring-config.model';
import { suggestScoringWeights, toTenThousandths } from './suggest-scoring-weights.util';
import type { WeightsSuggested, WeightSuggestion } from './weight-suggestion.types';
import { makeOutcome, PlantedModel, plantedOutcomes } from './__tests__/synthetic-outcomes.factory';

const current = {
  version: 4,
  parameters: {
    weights: [0.1, 0.8, 0.1] as const,
    caps: [10, 20, 600] as const,
    halfLifeDays: 7,
  },
  thresholds: { hot: 70, warm: 40 },
};

function suggested(result: WeightSuggestion): WeightsSuggested {
  if (result.status !== 'SUGGESTED') throw new Error(`expected SUGGESTED, got ${result.status}`);
  return result;
}

/** What the API does with an `updateScoringConfig` input: the project's validation pipe. */
async function validatedByTheApi(input: unknown): Promise<unknown> {
  return createValidationPipe().transform(input, {
    type: 'body',
    metatype: UpdateScoringConfigInput,
    data: 'input',
  });
}

describe('suggestScoringWeights on outcomes from planted weights', () => {
  // Steep enough (16 log-odds across the score) and many enough (6,000) that the sampling error
  // of each weight is about 0.01–0.02; the seeds are fixed, so the figures are too.
  const cases: [string, PlantedModel][] = [
    ['opens first', { weights: [0.6, 0.1, 0.3], halfLifeDays: 14, intercept: -6, scale: 16 }],
    ['visits first', { weights: [0.2, 0.5, 0.3], halfLifeDays: 7, intercept: -6, scale: 16 }],
    ['one weight 0', { weights: [0.5, 0, 0.5], halfLifeDays: 21, intercept: -6, scale: 16 }],
  ];

  describe.each(cases)('%s', (_, model) => {
    const outcomes = plantedOutcomes({ count: 6000, seed: 11, model });
    const sut = suggested(suggestScoringWeights({ outcomes, config: current }));

    it('recovers each weight within 0.05, and the half-life', () => {
      sut.suggested.weights.forEach((weight, j) => {
        expect(Math.abs(weight - model.weights[j])).toBeLessThan(0.05);
      });
      expect(sut.suggested.halfLifeDays).toBe(model.halfLifeDays);
    });

    it('suggests non-negative weights summing to 1', () => {
      const { weights } = sut.suggested;
      weights.forEach((weight) => expect(weight).toBeGreaterThanOrEqual(0));
      expect(Math.abs(weights[0] + weights[1] + weights[2] - 1)).toBeLessThan(1e-9);
    });

    it('beats the wrong current weights on the same held-out outcomes', () => {
      expect(sut.suggested.report.heldOutAuc).toBeGreaterThanOrEqual(sut.current.report.heldOutAuc);
      expect(sut.data.heldOut.outcomes).toBe(1200);
      expect(sut.data.train.outcomes).toBe(4800);
      expect(sut.data.split.method).toBe('TIME');
    });
  });
});

describe('suggestScoringWeights', () => {
  const model: PlantedModel = {
    weights: [0.5, 0.2, 0.3],
    halfLifeDays: 10,
    intercept: -5,
    scale: 14,
  };
  const outcomes = plantedOutcomes({ count: 400, seed: 21, model });
  const sut = suggested(suggestScoringWeights({ outcomes, config: current }));

  it('reports the split, counts, both configurations and the fit', () => {
    const converted = outcomes.filter((outcome) => outcome.converted).length;
    expect(sut.basedOnVersion).toBe(4);
    expect(sut.data).toMatchObject({
      outcomes: 400,
      converted,
      lost: 400 - converted,
      train: { outcomes: 320 },
      heldOut: { outcomes: 80 },
      split: { method: 'TIME', seed: 42 },
    });
    expect(sut.data.train.converted + sut.data.heldOut.converted).toBe(converted);
    expect(sut.current).toMatchObject({ weights: [0.1, 0.8, 0.1], halfLifeDays: 7 });
    expect(sut.current.report.distribution.outcomes).toBe(400);
    expect(sut.suggested.report.distribution.outcomes).toBe(400);
    const { p10, p50, p90 } = sut.suggested.report.distribution;
    expect(p10).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    expect(sut.fit).toMatchObject({ objective: 'LOGISTIC_LIKELIHOOD', halfLifeFitted: true });
    expect(sut.fit.halfLives).toHaveLength(9);
    expect(sut.message).toBe(
      `Held-out AUC ${sut.current.report.heldOutAuc.toFixed(3)} with the current configuration, ` +
        `${sut.suggested.report.heldOutAuc.toFixed(3)} with the suggested one, on 80 held-out ` +
        `outcomes (${sut.data.heldOut.converted} converted).`,
    );
  });

  it('gives a patch updateScoringConfig accepts, which applied gives the suggested config', async () => {
    expect(sut.patch).toEqual({
      weights: {
        emailOpens: sut.suggested.weights[0],
        websiteVisits: sut.suggested.weights[1],
        timeSpent: sut.suggested.weights[2],
      },
      halfLifeDays: sut.suggested.halfLifeDays,
    });
    const input = await validatedByTheApi(sut.patch);
    expect(input).toBeInstanceOf(UpdateScoringConfigInput);
    expect(input).toMatchObject(sut.patch);
    // The same pipe refuses what it should: the check is not vacuous.
    await expect(
      validatedByTheApi({ weights: { emailOpens: 0, websiteVisits: 0, timeSpent: 0 } }),
    ).rejects.toThrow('weights must have a positive sum');
  });

  it('is deterministic', () => {
    expect(suggestScoringWeights({ outcomes, config: current })).toEqual(sut);
  });

  it('ignores interactions after each outcome', () => {
    // Every planted lead has a big interaction a day after its outcome: dropping them changes nothing.
    const before = outcomes.map((outcome) => ({
      ...outcome,
      interactions: outcome.interactions.filter((i) => i.occurredAt <= outcome.at),
    }));
    expect(before.some((o, i) => o.interactions.length < outcomes[i].interactions.length)).toBe(
      true,
    );
    expect(suggestScoringWeights({ outcomes: before, config: current })).toEqual(sut);
  });

  it('keeps the half-life, and leaves it out of the patch, when asked not to fit it', () => {
    const result = suggested(
      suggestScoringWeights({ outcomes, config: current, options: { fitHalfLife: false } }),
    );
    expect(result.suggested.halfLifeDays).toBe(7);
    expect(result.patch).not.toHaveProperty('halfLifeDays');
    expect(result.fit.halfLifeFitted).toBe(false);
    expect(result.fit.halfLives.map((fit) => fit.halfLifeDays)).toEqual([7]);
  });

  it('tries the half-lives it is given, and the seed and held-out share it is given', () => {
    // Outcomes in threes at one time each (interactions moved with them): not time-ordered.
    const stratified = outcomes.map((outcome, i) => {
      const shift = outcomes[i - (i % 3)].at.getTime() - outcome.at.getTime();
      const moved = (date: Date) => new Date(date.getTime() + shift);
      return {
        ...outcome,
        at: moved(outcome.at),
        interactions: outcome.interactions.map((x) => ({ ...x, occurredAt: moved(x.occurredAt) })),
      };
    });
    const result = suggested(
      suggestScoringWeights({
        outcomes: stratified,
        config: { ...current, version: undefined },
        options: { halfLifeCandidates: [10, 20], testFraction: 0.25, seed: 7 },
      }),
    );
    expect(result.basedOnVersion).toBeNull();
    expect(result.fit.halfLives.map((fit) => fit.halfLifeDays)).toEqual([7, 10, 20]);
    expect(result.data.split).toMatchObject({ method: 'STRATIFIED', seed: 7 });
    // A quarter of each class, rounded per class.
    const { converted, lost } = result.data;
    expect(result.data.heldOut.outcomes).toBe(Math.round(converted / 4) + Math.round(lost / 4));
    expect(() =>
      suggestScoringWeights({ outcomes, config: current, options: { halfLifeCandidates: [0] } }),
    ).toThrow('half-life candidate 0 is outside');
  });

  it('says no component helps when engagement only lowers conversion', () => {
    const against = plantedOutcomes({
      count: 300,
      seed: 4,
      model: { weights: [0.4, 0.3, 0.3], halfLifeDays: 7, intercept: 1, scale: -8 },
    });
    const result = suggestScoringWeights({ outcomes: against, config: current });
    expect(result).toMatchObject({ status: 'NO_SIGNAL', basedOnVersion: 4 });
    expect(result).not.toHaveProperty('patch');
    if (result.status !== 'NO_SIGNAL') throw new Error('unreachable');
    expect(result.current.weights).toEqual([0.1, 0.8, 0.1]);
    expect(result.message).toContain('keep the current weights');
  });
});

describe('suggestScoringWeights below the minimum data', () => {
  const outcomes = (converted: number, lost: number) => [
    ...Array.from({ length: converted }, (_, i) =>
      makeOutcome({ leadId: `C-${i}`, converted: true }),
    ),
    ...Array.from({ length: lost }, (_, i) => makeOutcome({ leadId: `L-${i}` })),
  ];

  it('says how many more outcomes it needs instead of fitting', () => {
    const result = suggestScoringWeights({ outcomes: outcomes(8, 22), config: current });
    expect(result).toMatchObject({
      status: 'NOT_ENOUGH_DATA',
      have: { outcomes: 30, converted: 8, lost: 22 },
      needed: { outcomes: 20, converted: 2, lost: 0 },
    });
    if (result.status !== 'NOT_ENOUGH_DATA') throw new Error('unreachable');
    expect(result.message).toBe(
      'Not enough outcomes to learn weights from: 30 outcomes (8 converted, 22 lost); ' +
        '20 more outcomes needed, of which at least 2 converted. ' +
        'A fit needs 50 outcomes with 10 of each class.',
    );
  });

  it('asks for the short class even with plenty of outcomes', () => {
    expect(suggestScoringWeights({ outcomes: outcomes(200, 7), config: current })).toMatchObject({
      status: 'NOT_ENOUGH_DATA',
      needed: { outcomes: 3, converted: 0, lost: 3 },
    });
  });
});

describe('toTenThousandths', () => {
  it('rounds to four decimals by largest remainder, summing to 1 (hand-worked)', () => {
    expect(toTenThousandths([1 / 3, 1 / 3, 1 / 3])).toEqual([0.3334, 0.3333, 0.3333]);
    // 12.345 and 37.655 hundredths: both remainders ½, the earlier one gets the missing one.
    expect(toTenThousandths([0.12345, 0.5, 0.37655])).toEqual([0.1235, 0.5, 0.3765]);
    expect(toTenThousandths([2, 1, 1])).toEqual([0.5, 0.25, 0.25]);
  });
});
