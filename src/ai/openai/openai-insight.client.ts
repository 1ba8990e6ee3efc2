import { Inject, Injectable } from '@nestjs/common';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { INSIGHT_JSON_SCHEMA } from '../insight/insight-schema';
import { isRetryable, retryDelayMs } from '../insight/retry-policy';

export type CallFailureKind =
  'rate_limited' | 'server' | 'timeout' | 'connection' | 'refused' | 'empty';

/** A call that failed after its retries (or at once, when retrying cannot help). */
export class InsightCallError extends Error {
  constructor(
    readonly kind: CallFailureKind,
    readonly status: number | undefined,
    readonly calls: number,
    message: string,
  ) {
    super(message);
    this.name = 'InsightCallError';
  }
}

export interface InsightCompletion {
  content: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  /** Calls made, retries included. */
  calls: number;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const BACKOFF = { baseMs: 500, maxMs: 8_000 };

function failureOf(
  error: unknown,
  timedOut: boolean,
): { kind: CallFailureKind; status?: number; retryAfter?: string } {
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  // The client tells a timeout by the abort error's name, which not every fetch keeps (a
  // connection dropped when the timeout fired reads as a connection error): the clock decides.
  if (error instanceof APIConnectionError) return { kind: timedOut ? 'timeout' : 'connection' };
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : undefined;
    const headers = error.headers as Headers | undefined;
    const retryAfter = headers?.get?.('retry-after') ?? undefined;
    if (status === 429) return { kind: 'rate_limited', status, retryAfter };
    if (status !== undefined && status >= 500) return { kind: 'server', status, retryAfter };
    return { kind: 'refused', status };
  }
  return { kind: 'connection' };
}

/** One structured-output request: the messages and the JSON schema the answer must follow. */
export interface StructuredRequest {
  readonly messages: readonly ChatMessage[];
  /** The schema's name in `response_format` (letters, digits, `_`, `-`). */
  readonly schemaName: string;
  readonly schema: Record<string, unknown>;
  readonly temperature: number;
  readonly maxCompletionTokens: number;
}

/**
 * Chat Completions through the official `openai` client, with structured output (a strict JSON
 * schema), on the deployment's OpenAI settings (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL,
 * OPENAI_TIMEOUT_MS, OPENAI_MAX_RETRIES). The client's own retries are off: 429, 5xx, timeouts and
 * connection errors are retried here, OPENAI_MAX_RETRIES times, with exponential backoff and full
 * jitter, waiting at least what `retry-after` asks; other errors (400, 401, 403, 404, 422) are not
 * retried. Failures are InsightCallError, after the retries. A plain class: each feature that asks
 * OpenAI (insights, setup advice) holds one with its own schema.
 */
export class StructuredChat {
  private readonly client: OpenAI | undefined;
  readonly model: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;

  constructor(openai: ConnectedAppConfig['openai']) {
    this.model = openai.model;
    this.timeoutMs = openai.timeoutMs;
    this.maxRetries = openai.maxRetries;
    this.client = openai.apiKey
      ? new OpenAI({
          apiKey: openai.apiKey,
          baseURL: openai.baseUrl,
          timeout: openai.timeoutMs,
          maxRetries: 0,
        })
      : undefined;
  }

  /** False without OPENAI_API_KEY. */
  get configured(): boolean {
    return this.client !== undefined;
  }

  async complete(
    request: StructuredRequest,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ): Promise<InsightCompletion> {
    if (!this.client) throw new InsightCallError('refused', undefined, 0, 'no OPENAI_API_KEY');
    const seen: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        const completion = await this.client.chat.completions.create({
          model: this.model,
          messages: request.messages.map((message) => ({ ...message })),
          temperature: request.temperature,
          max_completion_tokens: request.maxCompletionTokens,
          response_format: {
            type: 'json_schema',
            json_schema: { name: request.schemaName, strict: true, schema: request.schema },
          },
        });
        const content = completion.choices[0]?.message?.content;
        if (!content)
          throw new InsightCallError('empty', 200, attempt, 'the answer had no content');
        const usage = completion.usage;
        return {
          content,
          model: completion.model || this.model,
          usage: {
            promptTokens: usage?.prompt_tokens ?? 0,
            completionTokens: usage?.completion_tokens ?? 0,
            totalTokens: usage?.total_tokens ?? 0,
          },
          calls: attempt,
        };
      } catch (error) {
        if (error instanceof InsightCallError) throw error;
        const failure = failureOf(error, Date.now() - started >= this.timeoutMs * 0.95);
        seen.push(`${failure.kind}${failure.status ? ` ${failure.status}` : ''}`);
        const retryable = isRetryable(
          failure.status,
          failure.kind === 'timeout' || failure.kind === 'connection' ? failure.kind : undefined,
        );
        if (!retryable || attempt > this.maxRetries)
          throw new InsightCallError(
            failure.kind,
            failure.status,
            attempt,
            `${attempt} call(s) failed: ${seen.join(', ')}`,
          );
        await sleep(retryDelayMs(attempt, { ...BACKOFF, retryAfter: failure.retryAfter ?? null }));
      }
    }
  }
}

/** Lead insights: StructuredChat with the insight's JSON schema. */
@Injectable()
export class OpenAIInsightClient {
  private readonly chat: StructuredChat;

  constructor(@Inject(APP_CONFIG) config: ConnectedAppConfig) {
    this.chat = new StructuredChat(config.openai);
  }

  get model(): string {
    return this.chat.model;
  }

  /** False without OPENAI_API_KEY: every insight is the fallback's. */
  get configured(): boolean {
    return this.chat.configured;
  }

  complete(
    messages: ChatMessage[],
    sleep?: (ms: number) => Promise<void>,
  ): Promise<InsightCompletion> {
    return this.chat.complete(
      {
        messages,
        schemaName: 'lead_insight',
        schema: INSIGHT_JSON_SCHEMA,
        temperature: 0.2,
        maxCompletionTokens: 800,
      },
      sleep,
    );
  }
}
