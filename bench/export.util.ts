/**
 * Reading an export as a client would (`GET /leads/scoring/export`), counting rows and bytes as
 * they arrive without keeping the body, and the figures of one export run. Pure but for `fetch`.
 */
import type { RssSample } from './rss.util';

export interface ExportRun {
  readonly format: 'csv' | 'ndjson';
  readonly status: number;
  readonly rows: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly mbPerSecond: number;
  /** Time to the first byte of the body. */
  readonly firstByteMs: number;
}

/**
 * Records in an export's text, counted chunk by chunk: NDJSON lines, or CSV records (CRLF outside
 * quotes) less the header. Quotes are tracked across chunks, so a quoted CRLF never counts.
 */
export class RowCounter {
  private inQuotes = false;
  private records = 0;

  constructor(private readonly format: 'csv' | 'ndjson') {}

  push(chunk: string): void {
    if (this.format === 'ndjson') {
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) this.records++;
      return;
    }
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 34) this.inQuotes = !this.inQuotes;
      else if (c === 10 && !this.inQuotes) this.records++;
    }
  }

  /** Data rows: CSV's header row left out. */
  rows(): number {
    return this.format === 'csv' ? Math.max(0, this.records - 1) : this.records;
  }
}

/** One export read to its end, timed from the send. */
export async function timedExport({
  url,
  token,
  format,
}: {
  url: string;
  token: string;
  format: 'csv' | 'ndjson';
}): Promise<ExportRun> {
  const started = performance.now();
  const response = await fetch(`${url}/leads/scoring/export?format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const counter = new RowCounter(format);
  const decoder = new TextDecoder();
  let bytes = 0;
  let firstByteMs = NaN;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += chunk.byteLength;
    counter.push(decoder.decode(chunk, { stream: true }));
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = counter.rows();
  return {
    format,
    status: response.status,
    rows,
    bytes,
    seconds,
    rowsPerSecond: rows / seconds,
    mbPerSecond: bytes / 1024 / 1024 / seconds,
    firstByteMs,
  };
}

/** The RSS readings of a span: the last one before it, the largest within it, in MB. */
export function spanRss(
  samples: readonly RssSample[],
  startMs: number,
  endMs: number,
): { beforeMb: number | null; maxMb: number | null; samples: number } {
  const read = samples.filter((s): s is { atMs: number; kb: number } => s.kb !== null);
  const before = read.filter((s) => s.atMs <= startMs);
  const within = read.filter((s) => s.atMs >= startMs && s.atMs <= endMs).map((s) => s.kb);
  return {
    beforeMb: before.length > 0 ? before[before.length - 1].kb / 1024 : null,
    maxMb: within.length > 0 ? Math.max(...within) / 1024 : null,
    samples: within.length,
  };
}
