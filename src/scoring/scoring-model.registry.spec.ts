import { Types } from 'mongoose';

import { abArmOf } from '@/ml/lifecycle/ab-assignment.util';
import type { ServingModel } from '@/ml/serve/score-with-model.util';

import {
  AbModelChoice,
  choiceForLead,
  LeadAttributes,
  ScoringModelRegistry,
  SingleModelChoice,
  WEIGHTED_SUM_CHOICE,
} from './scoring-model.registry';

const TRAINED: SingleModelChoice = {
  kind: 'TRAINED',
  modelId: 'm-1',
  version: 3,
  modelType: 'LOGISTIC_REGRESSION',
  serving: {} as ServingModel,
};

describe('choiceForLead', () => {
  it('answers a single model for every lead', () => {
    expect(choiceForLead(WEIGHTED_SUM_CHOICE, 'L-1')).toBe(WEIGHTED_SUM_CHOICE);
    expect(choiceForLead(TRAINED, 'L-2')).toBe(TRAINED);
  });

  it('answers the model of the lead’s arm in an A/B test, the same on every call', () => {
    const test: AbModelChoice = {
      kind: 'AB',
      testId: 'ab-1',
      shareA: 0.5,
      a: WEIGHTED_SUM_CHOICE,
      b: TRAINED,
    };
    const leads = Array.from({ length: 40 }, (_, i) => `L-${i}`);
    for (const lead of leads) {
      const expected = abArmOf('ab-1', lead, 0.5) === 'A' ? WEIGHTED_SUM_CHOICE : TRAINED;
      expect(choiceForLead(test, lead)).toBe(expected);
      expect(choiceForLead(test, lead)).toBe(expected);
    }
    // Both arms get leads (40 leads at one half: all in one arm has odds of 2^-39).
    const arms = new Set(leads.map((lead) => choiceForLead(test, lead)));
    expect(arms).toEqual(new Set([WEIGHTED_SUM_CHOICE, TRAINED]));
  });
});

describe('ScoringModelRegistry', () => {
  const tenantId = new Types.ObjectId().toHexString();
  const refs = [new Types.ObjectId(), new Types.ObjectId()];

  it('scores every tenant with the weighted sum until a source is plugged in', async () => {
    await expect(new ScoringModelRegistry().current(tenantId)).resolves.toBe(WEIGHTED_SUM_CHOICE);
  });

  it('asks the plugged-in source, passing `fresh` on', async () => {
    const registry = new ScoringModelRegistry();
    const current = jest.fn().mockResolvedValue(TRAINED);
    registry.use({ current });
    await expect(registry.current(tenantId, { fresh: true })).resolves.toBe(TRAINED);
    await expect(registry.current(tenantId)).resolves.toBe(TRAINED);
    expect(current.mock.calls).toEqual([
      [tenantId, { fresh: true }],
      [tenantId, {}],
    ]);
  });

  it('has no lead attributes to give without a source', async () => {
    const found = await new ScoringModelRegistry().leadAttributes(tenantId, refs);
    expect(found.size).toBe(0);
  });

  it('reads attributes through the source, and does not call it for no leads', async () => {
    const registry = new ScoringModelRegistry();
    const attributes: LeadAttributes = { attributes: { industry: 'retail' }, stamp: 's1' };
    const source = jest.fn().mockResolvedValue(new Map([[refs[0].toHexString(), attributes]]));
    registry.useLeadAttributes(source);

    const found = await registry.leadAttributes(tenantId, refs);
    expect(found.get(refs[0].toHexString())).toBe(attributes);
    expect(source).toHaveBeenCalledWith(tenantId, refs);

    expect((await registry.leadAttributes(tenantId, [])).size).toBe(0);
    expect(source).toHaveBeenCalledTimes(1);
  });
});
