import { Injectable, Logger } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { AuthUser } from '@/auth/auth-user';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { ScoreWalks } from '@/scoring/score-walks.service';

import { LeadRankingService } from '../lead-ranking.service';
import { LeadsService } from '../leads.service';
import {
  csvChunk,
  ExportFormat,
  ExportRecord,
  toExportRecord,
  toNdjsonLine,
} from './lead-export-row.util';
import { ExportOutcome, LeadExportMetrics } from './lead-export.metrics';
import { EXPORT_RENEW_MS, LeadExportSlots } from './lead-export-slots.service';

/**
 * Scores read per round trip to the engine. Small for the same reason as EXPORT_CHUNK_ROWS (the
 * driver's batch lives until its last document is read): measured on 10,000 leads, the heap took
 * in ~1.3 MB of garbage per young-generation collection with 500, ~0.25 MB with 100, ~0.15 MB with
 * 50, for the same throughput (a round trip to a local engine is well under a millisecond).
 */
export const EXPORT_READ_BATCH = 50;

/**
 * Rows per chunk of text handed to the response, and so the most leads the export holds as
 * objects at once. Kept small on purpose: whatever the export holds across a young-generation
 * collection (V8's scavenge, every ~16 MB allocated) survives it, and what survives two is moved
 * to the old generation, which only a full collection frees. Batches of 500 (documents, views and
 * records, a few MB) lived that long, so every export moved garbage into the old generation at
 * ~7 KB a lead until the heap reached its limit: 430 MB RSS for 10,000 leads. 50 rows (tens of KB)
 * die young. (Some garbage still reaches the old generation in the app, ~0.3 KB a row, until a
 * full collection: not from this pipeline, which moves nothing there when run on its own over the
 * driver and a plain HTTP response.)
 */
export const EXPORT_CHUNK_ROWS = 50;

/** Which leads: the filters of the ranked list that make sense for a whole export. */
export interface ExportFilter {
  readonly minScore?: number;
  readonly ownerId?: string;
  readonly status?: string;
}

function ndjsonChunk(records: readonly ExportRecord[]): string {
  let text = '';
  for (const record of records) text += toNdjsonLine(record);
  return text;
}

function isClientGone(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * `GET /leads/scoring/export`: every lead the caller may see, as CSV or NDJSON, streamed.
 *
 * Memory stays bounded whatever the tenant's size: one driver cursor over the tenant's scores in
 * `_id` order (the scores carry every field the ranked list shows, so no other collection is
 * read; the fields no view reads are left out), each score turned into its record as it is read
 * and dropped, EXPORT_CHUNK_ROWS records turned into text at a time, pulled by the response only
 * as fast as the client reads (`pipeline` honours `write()`'s backpressure). When the client goes
 * away the pipeline destroys the source, which closes the cursor: nothing more is read.
 *
 * Not a snapshot: each lead is read once, as it is when the cursor reaches it; leads written
 * during the export may or may not appear, and scores may be of different moments.
 */
@Injectable()
export class LeadExportService {
  private readonly logger = new Logger(LeadExportService.name);

  constructor(
    private readonly leads: LeadsService,
    private readonly scores: ScoreWalks,
    private readonly ranking: LeadRankingService,
    private readonly slots: LeadExportSlots,
    private readonly metrics: LeadExportMetrics,
  ) {}

  /**
   * The caller's leads as records, EXPORT_CHUNK_ROWS at a time (reps: their own, as the list).
   * Each score becomes its record as soon as the cursor hands it over: no batch of documents or
   * of views is ever held.
   */
  async *records(caller: AuthUser, filter: ExportFilter): AsyncGenerator<ExportRecord[]> {
    const scores = this.scores.exportScores(
      caller.tenantId,
      {
        minScore: filter.minScore,
        ownerId: this.leads.ownerScope(caller, filter.ownerId),
        status: filter.status,
      },
      EXPORT_READ_BATCH,
    );
    let chunk: ExportRecord[] = [];
    for await (const score of scores) {
      // The list's own view of each score (override, trend and staleness included).
      chunk.push(toExportRecord(this.ranking.view(score)));
      if (chunk.length === EXPORT_CHUNK_ROWS) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /**
   * Takes one of the tenant's export slots (RATE_LIMITED when they are all in use), reads the
   * first chunk (an engine failure there still answers an error status), then calls `start`
   * (headers) and streams everything to `out`. Resolves once the export ended, however it ended.
   */
  async stream({
    caller,
    filter,
    format,
    out,
    start,
  }: {
    caller: AuthUser;
    filter: ExportFilter;
    format: ExportFormat;
    out: Writable;
    start: () => void;
  }): Promise<ExportOutcome> {
    const slot = await this.slots.acquire(caller.tenantId);
    if (!slot) {
      throw new AppException(
        ErrorCode.RATE_LIMITED,
        'too many exports of this tenant at once: retry when one has finished',
        { retryAfterSeconds: Math.round(EXPORT_RENEW_MS / 1000) },
      );
    }
    let source: AsyncGenerator<ExportRecord[]> | undefined;
    try {
      source = this.records(caller, filter);
      const first = await source.next().catch((error: unknown) => {
        throw new AppException(
          ErrorCode.UNAVAILABLE,
          'a backing service is unavailable; retry shortly',
          { cause: String(error) },
        );
      });
      start();
      const text = this.texts(format, first, source);
      let outcome: ExportOutcome = 'completed';
      try {
        // One chunk of text read ahead at most, not Readable.from's default 16.
        await pipeline(Readable.from(text, { highWaterMark: 1 }), out);
      } catch (error) {
        outcome = isClientGone(error) || out.destroyed ? 'aborted' : 'failed';
        if (outcome === 'failed')
          this.logger.error({
            msg: 'export failed mid-stream; the response was cut',
            tenantId: caller.tenantId,
            error: String(error),
          });
      }
      this.metrics.exports.inc({ format, outcome });
      return outcome;
    } finally {
      await source?.return(undefined).catch(() => undefined);
      await slot.release();
    }
  }

  /** The export's text, a chunk per EXPORT_CHUNK_ROWS records: what the response pulls. */
  private async *texts(
    format: ExportFormat,
    first: IteratorResult<ExportRecord[]>,
    rest: AsyncGenerator<ExportRecord[]>,
  ): AsyncGenerator<string> {
    let header = format === 'csv';
    let next = first;
    while (!next.done) {
      this.metrics.rows.inc({ format }, next.value.length);
      yield format === 'csv' ? csvChunk(next.value, header) : ndjsonChunk(next.value);
      header = false;
      next = await rest.next();
    }
    // An empty CSV export is still its header row.
    if (header) yield csvChunk([], true);
  }
}
