import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';

import { abArmOf } from '@/ml/lifecycle/ab-assignment.util';
import type { ServingModel } from '@/ml/serve/score-with-model.util';

import { WEIGHTED_SUM_MODEL } from './lead-score.types';

/** One model: the weighted sum, or a trained one. */
export type SingleModelChoice =
  | {
      readonly kind: 'WEIGHTED_SUM';
      readonly modelId: typeof WEIGHTED_SUM_MODEL.id;
      readonly version: typeof WEIGHTED_SUM_MODEL.version;
    }
  | {
      readonly kind: 'TRAINED';
      readonly modelId: string;
      readonly version: number;
      /** LOGISTIC_REGRESSION, GRADIENT_BOOSTING, NAIVE_BAYES. */
      readonly modelType: string;
      readonly serving: ServingModel;
    };

/**
 * An A/B test: each lead is scored by the model of its arm (`abArmOf(testId, leadId, shareA)`),
 * so the score a rep sees comes from the lead's arm.
 */
export interface AbModelChoice {
  readonly kind: 'AB';
  readonly testId: string;
  readonly shareA: number;
  readonly a: SingleModelChoice;
  readonly b: SingleModelChoice;
}

/**
 * The model a tenant's leads are scored with: one model, or the arms of an A/B test; with
 * `shadow`, a challenger scored alongside on every write (stored, not shown).
 */
export type ScoringModelChoice = (SingleModelChoice | AbModelChoice) & {
  readonly shadow?: SingleModelChoice;
};

/** The model that scores one lead. */
export function choiceForLead(choice: ScoringModelChoice, leadId: string): SingleModelChoice {
  if (choice.kind !== 'AB') return choice;
  return abArmOf(choice.testId, leadId, choice.shareA) === 'A' ? choice.a : choice.b;
}

export const WEIGHTED_SUM_CHOICE: SingleModelChoice = {
  kind: 'WEIGHTED_SUM',
  modelId: WEIGHTED_SUM_MODEL.id,
  version: WEIGHTED_SUM_MODEL.version,
};

/** Where the deployed model of a tenant comes from (the model registry, when it is loaded). */
export interface ScoringModelSource {
  /** `fresh`: read the deployment again rather than trust a cached answer (batch jobs). */
  current(tenantId: string, options?: { fresh?: boolean }): Promise<ScoringModelChoice>;
}

/**
 * The scoring module asks this which model scores a tenant. The model registry (the `ml-models`
 * module, built on scoring) plugs its source in when it starts, so scoring does not import the
 * module that imports it; without one, every tenant scores with the weighted sum.
 */
/** A lead's attributes and their stamp, read together. */
export interface LeadAttributes {
  readonly attributes: Record<string, unknown>;
  readonly stamp?: string;
}

/** Attributes of leads by `_id` (hex), for scores without a current copy of them. */
export type LeadAttributesSource = (
  tenantId: string,
  leadRefs: readonly Types.ObjectId[],
) => Promise<Map<string, LeadAttributes>>;

@Injectable()
export class ScoringModelRegistry {
  private source: ScoringModelSource | null = null;
  private attributes: LeadAttributesSource | null = null;

  use(source: ScoringModelSource): void {
    this.source = source;
  }

  /** The leads module plugs in how to read attributes a stored score lacks. */
  useLeadAttributes(source: LeadAttributesSource): void {
    this.attributes = source;
  }

  leadAttributes(
    tenantId: string,
    leadRefs: readonly Types.ObjectId[],
  ): Promise<Map<string, LeadAttributes>> {
    if (!this.attributes || leadRefs.length === 0)
      return Promise.resolve(new Map<string, LeadAttributes>());
    return this.attributes(tenantId, leadRefs);
  }

  current(tenantId: string, options: { fresh?: boolean } = {}): Promise<ScoringModelChoice> {
    return this.source
      ? this.source.current(tenantId, options)
      : Promise.resolve(WEIGHTED_SUM_CHOICE);
  }
}
