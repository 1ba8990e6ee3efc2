import { WeightSuggestionStatus } from './dto/weight-suggestion.model';
import { suggestScoringWeights } from '@/scoring/weight-fit/suggest-scoring-weights.util';
import { toWeightSuggestionModel } from './weight-suggestion.mapper';
import {
  makeOutcome,
  plantedOutcomes,
} from '@/scoring/weight-fit/__tests__/synthetic-outcomes.factory';

const config = {
  version: 3,
  parameters: {
    weights: [0.4, 0.35, 0.25] as const,
    caps: [10, 20, 600] as const,
    halfLifeDays: 7,
  },
  thresholds: { hot: 70, warm: 40 },
};
const scope = { capped: false, maxOutcomes: 20_000 };

describe('toWeightSuggestionModel', () => {
  const outcomes = plantedOutcomes({
    count: 300,
    seed: 5,
    model: { weights: [0.5, 0.2, 0.3], halfLifeDays: 10, intercept: -5, scale: 14 },
  });

  it('shows a suggestion with both configurations, the patch, the split and the fit', () => {
    const result = suggestScoringWeights({ outcomes, config });
    if (result.status !== 'SUGGESTED') throw new Error(`expected SUGGESTED: ${result.status}`);
    const sut = toWeightSuggestionModel(result, { capped: true, maxOutcomes: 300 });
    const [e, v, t] = result.suggested.weights;
    expect(sut).toMatchObject({
      status: WeightSuggestionStatus.SUGGESTED,
      message: result.message,
      basedOnVersion: 3,
      capped: true,
      maxOutcomes: 300,
      counts: { outcomes: 300, converted: result.data.converted, lost: result.data.lost },
      patch: {
        weights: { emailOpens: e, websiteVisits: v, timeSpent: t },
        halfLifeDays: result.suggested.halfLifeDays,
      },
      current: {
        weights: { emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 },
        halfLifeDays: 7,
        heldOutAuc: result.current.report.heldOutAuc,
        distribution: result.current.report.distribution,
      },
      suggested: {
        weights: { emailOpens: e, websiteVisits: v, timeSpent: t },
        heldOutAuc: result.suggested.report.heldOutAuc,
        distribution: result.suggested.report.distribution,
      },
      split: {
        train: result.data.train,
        heldOut: result.data.heldOut,
        method: 'TIME',
        reason: result.data.split.reason,
        seed: 42,
      },
      fit: {
        objective: 'LOGISTIC_LIKELIHOOD',
        halfLifeFitted: true,
        halfLives: result.fit.halfLives,
      },
      needed: null,
      minimum: { outcomes: 50, perClass: 10 },
    });
  });

  it('shows a patch without a half-life when it was kept', () => {
    const result = suggestScoringWeights({ outcomes, config, options: { fitHalfLife: false } });
    const sut = toWeightSuggestionModel(result, scope);
    expect(sut.patch?.halfLifeDays).toBeNull();
    expect(sut.fit).toMatchObject({ halfLifeFitted: false, halfLives: [{ halfLifeDays: 7 }] });
  });

  it('shows no signal with the current configuration only', () => {
    const against = plantedOutcomes({
      count: 300,
      seed: 4,
      model: { weights: [0.4, 0.3, 0.3], halfLifeDays: 7, intercept: 1, scale: -8 },
    });
    const result = suggestScoringWeights({ outcomes: against, config });
    expect(result.status).toBe('NO_SIGNAL');
    const sut = toWeightSuggestionModel(result, scope);
    expect(sut).toMatchObject({
      status: WeightSuggestionStatus.NO_SIGNAL,
      basedOnVersion: 3,
      patch: null,
      suggested: null,
      needed: null,
      counts: { outcomes: 300 },
    });
    expect(sut.current?.weights).toEqual({ emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 });
    expect(sut.split).not.toBeNull();
    expect(sut.fit).not.toBeNull();
  });

  it('shows how many more outcomes are needed, and nothing fitted', () => {
    const few = Array.from({ length: 12 }, (_, i) =>
      makeOutcome({ leadId: `L-${i}`, converted: i < 4 }),
    );
    const result = suggestScoringWeights({ outcomes: few, config });
    const sut = toWeightSuggestionModel(result, scope);
    expect(sut).toEqual({
      status: WeightSuggestionStatus.NOT_ENOUGH_DATA,
      message: result.message,
      basedOnVersion: null,
      counts: { outcomes: 12, converted: 4, lost: 8 },
      capped: false,
      maxOutcomes: 20_000,
      patch: null,
      current: null,
      suggested: null,
      split: null,
      fit: null,
      needed: { outcomes: 38, converted: 6, lost: 2 },
      minimum: { outcomes: 50, perClass: 10 },
    });
  });
});
