import { createHash } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { InsightCallError } from '@/ai/openai/openai-insight.client';
import type { DatasetProfile } from '@/ml/setup/profile-dataset.util';
import type { SetupRecommendation } from '@/ml/setup/recommend-setup.util';
import type { SetupFlag } from '@/ml/setup/screen-leakage.util';

import { AdvisedRecommendation, advisedRecommendation } from './advice/advised-recommendation.util';
import { SetupAdviceClient } from './advice/setup-advice.client';
import { buildSetupAdviceMessages, SETUP_PROMPT_VERSION } from './advice/setup-advice-prompt.util';
import { parseSetupAdvice } from './advice/setup-advice-schema.util';
import type { StoredAdvice } from './schemas/dataset-profile.schema';

export interface AiOpinion {
  readonly recommendation: AdvisedRecommendation | null;
  readonly model: string | null;
  readonly unavailableReason: string | null;
  /** A new answer, to be stored (null when none, or when the stored one was reused). */
  readonly toStore: StoredAdvice | null;
}

/**
 * The OpenAI model's second opinion on a recommendation: asked once per prompt (a stored answer
 * for the same model and messages is reused), an invalid answer asked again once, then none. It
 * never throws for OpenAI's sake: without a key, on a failed call or an invalid answer there is
 * no opinion, and the reason says why; the deterministic recommendation stands alone.
 */
@Injectable()
export class SetupAdvisor {
  private readonly logger = new Logger(SetupAdvisor.name);

  constructor(private readonly client: SetupAdviceClient) {}

  async advise({
    profile,
    flags,
    deterministic,
    stored,
  }: {
    profile: DatasetProfile;
    flags: readonly SetupFlag[];
    deterministic: SetupRecommendation;
    stored: StoredAdvice | null;
  }): Promise<AiOpinion> {
    const none = (reason: string): AiOpinion => ({
      recommendation: null,
      model: null,
      unavailableReason: reason,
      toStore: null,
    });
    if (!this.client.configured)
      return none('no OPENAI_API_KEY configured: the deterministic recommendation only');
    if (deterministic.transformation === null)
      return none('no column is left to train on: nothing for the model to review');
    const messages = buildSetupAdviceMessages(profile, flags, deterministic);
    const stamp = createHash('sha256')
      .update(JSON.stringify([SETUP_PROMPT_VERSION, this.client.model, messages]))
      .digest('hex');
    if (stored?.stamp === stamp)
      return {
        recommendation: stored.recommendation,
        model: stored.model,
        unavailableReason: null,
        toStore: null,
      };
    const columns = profile.columns
      .filter((column) => column.kind === 'FEATURE')
      .map((column) => column.name);
    let invalid = '';
    for (let round = 1; round <= 2; round++) {
      let answer;
      try {
        answer = await this.client.complete(messages);
      } catch (error) {
        const message = error instanceof InsightCallError ? error.message : String(error);
        this.logger.warn({ msg: 'setup advice call failed', error: message });
        return none(`OpenAI call failed: ${message}`);
      }
      const parsed = parseSetupAdvice(answer.content, columns);
      if (parsed.ok) {
        const recommendation = advisedRecommendation(profile, deterministic, parsed.value);
        return {
          recommendation,
          model: answer.model,
          unavailableReason: null,
          toStore: { stamp, model: answer.model, recommendation, at: new Date() },
        };
      }
      invalid = parsed.reason;
      this.logger.warn({ msg: 'setup advice answer invalid', round, reason: invalid });
    }
    return none(`the OpenAI answer was invalid twice (${invalid})`);
  }
}
