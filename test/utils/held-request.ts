import { request as httpRequest } from 'node:http';

export interface HeldResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** An HTTP request whose body the client holds back: in flight on the server for as long as needed. */
export interface HeldRequest {
  /**
   * Resolves once the server has taken the request up (it answered `100 Continue`, which Node's
   * server does right as it hands the request to the app) and all but the held bytes are sent.
   */
  readonly started: Promise<void>;
  /** Sends the held bytes: the server then has the whole body and answers. */
  finish(): void;
  readonly response: Promise<HeldResponse>;
}

/**
 * Sends a request over a real socket with `Expect: 100-continue`, then all of its body but the
 * last `heldBytes`, and holds those until `finish()`. Nothing in the app is slowed down: the server
 * is waiting for the client, as with a slow upload.
 */
export function holdRequest(
  url: string,
  {
    method = 'POST',
    path,
    headers = {},
    body,
    heldBytes = 1,
  }: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body: string;
    heldBytes?: number;
  },
): HeldRequest {
  const bytes = Buffer.from(body);
  if (heldBytes < 1 || heldBytes > bytes.length) throw new Error('heldBytes out of range');
  const target = new URL(path, url);
  const req = httpRequest({
    host: target.hostname,
    port: target.port,
    path: target.pathname + target.search,
    method,
    agent: false,
    headers: { ...headers, 'content-length': String(bytes.length), expect: '100-continue' },
  });
  const started = new Promise<void>((resolve, reject) => {
    req.once('continue', () => {
      req.write(bytes.subarray(0, bytes.length - heldBytes), (error) =>
        error ? reject(error) : resolve(),
      );
    });
    req.once('error', reject);
  });
  const response = new Promise<HeldResponse>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
  });
  // Neither is awaited before the test needs it: keep an early error from going unhandled.
  started.catch(() => undefined);
  response.catch(() => undefined);
  req.flushHeaders();
  return {
    started,
    finish: () => req.end(bytes.subarray(bytes.length - heldBytes)),
    response,
  };
}
