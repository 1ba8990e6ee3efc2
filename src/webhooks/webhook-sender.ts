import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';

import { parseRetryAfterMs } from '@/ai/insight/retry-policy';

import { hostOf, refusedRange, UrlPolicy } from './webhook-url.util';

/** What one POST came to. `statusCode` null: no answer (refused, timed out, connection error). */
export interface SendResult {
  readonly statusCode: number | null;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error: string | null;
  /** The target resolved to an address the policy refuses: no connection was made. */
  readonly refused: boolean;
  /** Retry-After of the answer, in ms, when it has one. */
  readonly retryAfterMs: number | null;
  /** The start of the answer's body (for the delivery log). */
  readonly responseSnippet: string | null;
}

/** Characters of the answer kept in the delivery log. */
export const SNIPPET_CHARS = 256;
/** Bytes of an answer read at most (then the connection is dropped rather than drained). */
const MAX_RESPONSE_BYTES = 64 * 1024;

class RefusedAddressError extends Error {}

type Lookup = typeof dnsLookup;

/**
 * POSTs webhook payloads, over https (http too when the policy allows it). The address is checked
 * where the socket connects: names through a
 * `lookup` that resolves every address and refuses the connection when any of them is not allowed
 * (so a DNS answer cannot change between the check and the connection), literals before
 * connecting. Redirects are not followed (a 3xx is a failed attempt); each attempt is bounded by
 * `timeoutMs` from start to the answer's end. Keep-alive agents reuse connections per origin.
 */
export class WebhookSender {
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 50 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 50 }),
  };

  constructor(
    private readonly policy: UrlPolicy,
    private readonly timeoutMs: number,
    private readonly resolve: Lookup = dnsLookup,
  ) {}

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const target = new URL(url);
    if (target.protocol !== 'https:' && !(target.protocol === 'http:' && this.policy.allowHttp))
      return refused(`${target.protocol}// is not allowed (https only)`, elapsed());
    const host = hostOf(target);
    if (isIP(host) !== 0) {
      const range = refusedRange(host, this.policy, host);
      if (range) return refused(`${host} is not a public address (${range})`, elapsed());
    }
    try {
      const answer = await this.post(target, host, headers, body);
      return {
        statusCode: answer.statusCode,
        ok: answer.statusCode >= 200 && answer.statusCode < 300,
        durationMs: elapsed(),
        error: null,
        refused: false,
        retryAfterMs: parseRetryAfterMs(answer.retryAfter, Date.now()),
        responseSnippet: answer.snippet,
      };
    } catch (error) {
      if (error instanceof RefusedAddressError) return refused(error.message, elapsed());
      return {
        statusCode: null,
        ok: false,
        durationMs: elapsed(),
        error: describe(error),
        refused: false,
        retryAfterMs: null,
        responseSnippet: null,
      };
    }
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** Nest calls it on a provider at shutdown. */
  onApplicationShutdown(): void {
    this.close();
  }

  private post(
    target: URL,
    host: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ statusCode: number; retryAfter: string | null; snippet: string | null }> {
    const secure = target.protocol === 'https:';
    const transport = secure ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(target, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: this.guardedLookup(host),
      });
      const timer = setTimeout(
        () => request.destroy(new Error(`timed out after ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const retryAfter = response.headers['retry-after'];
          resolve({
            statusCode: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            snippet: text === '' ? null : text.slice(0, SNIPPET_CHARS),
          });
        };
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
          else {
            response.destroy();
            finish();
          }
        });
        response.on('end', finish);
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      request.end(body);
    });
  }

  /** Resolves every address of the name and refuses the connection if any is not allowed. */
  private guardedLookup(hostname: string): LookupFunction {
    return (name, options, callback) => {
      this.resolve(name, { ...options, all: true }, (error, found) => {
        const addresses = found ?? [];
        if (error) return callback(error, '', 0);
        if (addresses.length === 0) return callback(new Error(`${name} has no address`), '', 0);
        for (const { address } of addresses) {
          const range = refusedRange(address, this.policy, hostname);
          if (range) {
            const reason = `${name} resolves to ${address}, not a public address (${range})`;
            return callback(new RefusedAddressError(reason), '', 0);
          }
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}

function refused(reason: string, durationMs: number): SendResult {
  return {
    statusCode: null,
    ok: false,
    durationMs,
    error: `refused: ${reason}`,
    refused: true,
    retryAfterMs: null,
    responseSnippet: null,
  };
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
