import type { UpdateScoringConfigInput } from './models/scoring-config.model';
import {
  EffectiveScoringConfig,
  toScoringConfigModel,
  withChanges,
} from './scoring-config.service';

const current: EffectiveScoringConfig = {
  version: 3,
  parameters: { weights: [0.4, 0.35, 0.25], caps: [10, 20, 1800], halfLifeDays: 14 },
  thresholds: { hot: 70, warm: 40 },
  createdAt: new Date('2026-11-01T09:00:00.000Z'),
  createdBy: '64b7f0c2a1b2c3d4e5f60718',
};

describe('withChanges: what saving an input keeps', () => {
  it('keeps every current value the input leaves out', () => {
    expect(withChanges(current, {})).toEqual({
      parameters: current.parameters,
      thresholds: current.thresholds,
    });
  });

  it('takes each field the input sets, features in the scorer’s order', () => {
    const input: UpdateScoringConfigInput = {
      weights: { emailOpens: 1, websiteVisits: 0, timeSpent: 2 },
      caps: { emailOpens: 5, websiteVisits: 6, timeSpent: 600 },
      halfLifeDays: 7,
      thresholds: { hot: 80, warm: 50 },
    };
    expect(withChanges(current, input)).toEqual({
      parameters: { weights: [1, 0, 2], caps: [5, 6, 600], halfLifeDays: 7 },
      thresholds: { hot: 80, warm: 50 },
    });
  });

  it('changes one field and keeps the others', () => {
    expect(
      withChanges(current, { caps: { emailOpens: 1, websiteVisits: 2, timeSpent: 3 } }),
    ).toEqual({
      parameters: { weights: [0.4, 0.35, 0.25], caps: [1, 2, 3], halfLifeDays: 14 },
      thresholds: { hot: 70, warm: 40 },
    });
    expect(withChanges(current, { halfLifeDays: 0.5 }).parameters).toEqual({
      weights: [0.4, 0.35, 0.25],
      caps: [10, 20, 1800],
      halfLifeDays: 0.5,
    });
  });
});

describe('toScoringConfigModel', () => {
  it('names the features of the weights and caps', () => {
    expect(toScoringConfigModel(current)).toEqual({
      version: 3,
      weights: { emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 },
      caps: { emailOpens: 10, websiteVisits: 20, timeSpent: 1800 },
      halfLifeDays: 14,
      thresholds: { hot: 70, warm: 40 },
      createdAt: current.createdAt,
      createdBy: current.createdBy,
    });
  });
});
