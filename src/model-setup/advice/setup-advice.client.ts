import { Inject, Injectable } from '@nestjs/common';
import OpenAI, { APIConnectionError, APIError } from 'openai';

import { isRetryable, retryDelayMs } from '@/ai/insight/retry-policy';
import { InsightCallError } from '@/ai/openai/openai-insight.client';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import type { SetupAdviceMessage } from './setup-advice-prompt.util';
import { SETUP_ADVICE_JSON_SCHEMA } from './setup-advice-schema.util';

export interface AdviceCompletion {
  readonly content: string;
  readonly model: string;
}

const BACKOFF = { baseMs: 500, maxMs: 8_000 };

/**
 * Chat Completions for setup advice, on the deployment's OpenAI settings (the ones insights use:
 * OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_TIMEOUT_MS, OPENAI_MAX_RETRIES) and the
 * `ai` module's retry policy, with the advice's own strict JSON schema. Failures are the `ai`
 * module's InsightCallError, after the retries.
 */
@Injectable()
export class SetupAdviceClient {
  private readonly client: OpenAI | undefined;
  readonly model: string;
  private readonly maxRetries: number;

  constructor(@Inject(APP_CONFIG) config: ConnectedAppConfig) {
    this.model = config.openai.model;
    this.maxRetries = config.openai.maxRetries;
    this.client = config.openai.apiKey
      ? new OpenAI({
          apiKey: config.openai.apiKey,
          baseURL: config.openai.baseUrl,
          timeout: config.openai.timeoutMs,
          maxRetries: 0,
        })
      : undefined;
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  async complete(
    messages: readonly SetupAdviceMessage[],
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ): Promise<AdviceCompletion> {
    if (!this.client) throw new InsightCallError('refused', undefined, 0, 'no OPENAI_API_KEY');
    const seen: string[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        const completion = await this.client.chat.completions.create({
          model: this.model,
          messages: messages.map((message) => ({ ...message })),
          temperature: 0,
          max_completion_tokens: 1_500,
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'model_setup_advice',
              strict: true,
              schema: SETUP_ADVICE_JSON_SCHEMA,
            },
          },
        });
        const content = completion.choices[0]?.message?.content;
        if (!content)
          throw new InsightCallError('empty', 200, attempt, 'the answer had no content');
        return { content, model: completion.model || this.model };
      } catch (error) {
        if (error instanceof InsightCallError) throw error;
        const status: number | undefined =
          error instanceof APIError && typeof error.status === 'number' ? error.status : undefined;
        const kind =
          error instanceof APIConnectionError
            ? 'connection'
            : status === 429
              ? 'rate_limited'
              : status !== undefined && status >= 500
                ? 'server'
                : 'refused';
        seen.push(`${kind}${status ? ` ${status}` : ''}`);
        const retryable = isRetryable(status, kind === 'connection' ? kind : undefined);
        if (!retryable || attempt > this.maxRetries)
          throw new InsightCallError(
            kind,
            status,
            attempt,
            `${attempt} call(s) failed: ${seen.join(', ')}`,
          );
        const headers =
          error instanceof APIError ? (error.headers as Headers | undefined) : undefined;
        await sleep(
          retryDelayMs(attempt, { ...BACKOFF, retryAfter: headers?.get?.('retry-after') ?? null }),
        );
      }
    }
  }
}
