import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that speaks OpenAI's Chat Completions API (`POST /v1/chat/completions`), for
 * the official `openai` client to talk to in tests. Each request takes the next scripted reply
 * (or the default one): a completion whose content is given, an HTTP error with headers, a
 * malformed body, or a delay past the client's timeout. Requests are recorded as received.
 */
export interface ScriptedReply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** The assistant message's content (status 200). */
  content?: string;
  /** A raw body instead of a completion (errors, broken JSON). */
  rawBody?: string;
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface RecordedRequest {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: {
      type: string;
      json_schema?: { name: string; strict?: boolean; schema: unknown };
    };
  };
}

export const VALID_INSIGHT = {
  summary: 'Engaged buyer: frequent email opens and a long site visit this week.',
  nextBestAction: 'Call today and propose a demo of the reporting module.',
  talkingPoints: ['Opened the last five emails', 'Spent 12 minutes on the pricing page'],
  risks: ['No reply to direct outreach yet'],
  fitEstimate: 72,
};

export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private readonly script: ScriptedReply[] = [];
  private server?: Server;
  defaultReply: ScriptedReply = { content: JSON.stringify(VALID_INSIGHT) };

  /** The base URL to give the client (`OPENAI_BASE_URL`). */
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next requests get these replies, in order; then the default. */
  enqueue(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  reset(): void {
    this.script.length = 0;
    this.requests.length = 0;
    this.defaultReply = { content: JSON.stringify(VALID_INSIGHT) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: RecordedRequest['body'] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
    } catch {
      // Recorded as empty: the client always sends JSON.
    }
    this.requests.push({ at: Date.now(), path: req.url ?? '', headers: req.headers, body });
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const reply = this.script.shift() ?? this.defaultReply;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    const headers = { 'content-type': 'application/json', ...reply.headers };
    if (reply.rawBody !== undefined || status !== 200) {
      res.writeHead(status, headers);
      res.end(
        reply.rawBody ??
          JSON.stringify({ error: { message: `scripted ${status}`, type: 'server_error' } }),
      );
      return;
    }
    const usage = reply.usage ?? { prompt_tokens: 420, completion_tokens: 96 };
    res.writeHead(200, headers);
    res.end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? 'gpt-4o-mini',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.content ?? '', refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
  }
}
