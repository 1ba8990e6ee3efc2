import { Inject, Injectable } from '@nestjs/common';

import { StructuredChat } from '@/ai/openai/openai-insight.client';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import type { SetupAdviceMessage } from './setup-advice-prompt.util';
import { SETUP_ADVICE_JSON_SCHEMA } from './setup-advice-schema.util';

export interface AdviceCompletion {
  readonly content: string;
  readonly model: string;
}

/**
 * Chat Completions for setup advice: the `ai` module's StructuredChat (the deployment's OpenAI
 * settings, its retry policy, InsightCallError after the retries) with the advice's own strict
 * JSON schema.
 */
@Injectable()
export class SetupAdviceClient {
  private readonly chat: StructuredChat;

  constructor(@Inject(APP_CONFIG) config: ConnectedAppConfig) {
    this.chat = new StructuredChat(config.openai);
  }

  get model(): string {
    return this.chat.model;
  }

  get configured(): boolean {
    return this.chat.configured;
  }

  async complete(
    messages: readonly SetupAdviceMessage[],
    sleep?: (ms: number) => Promise<void>,
  ): Promise<AdviceCompletion> {
    const { content, model } = await this.chat.complete(
      {
        messages,
        schemaName: 'model_setup_advice',
        schema: SETUP_ADVICE_JSON_SCHEMA,
        temperature: 0,
        maxCompletionTokens: 1_500,
      },
      sleep,
    );
    return { content, model };
  }
}
