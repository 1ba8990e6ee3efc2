import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { decodedFind } from '@/common/tenancy/decoded-find.util';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { RankedLeadQuery } from './lead-score.types';
import type { StoredScore } from './lead-scoring.service';
import { rankedScoreFilter } from './ranked-score-filter.util';
import type { RescoringReadOwnedField } from './score-write.util';
import { SCORE_ROW_PROJECTION, ScoreRow } from './ranking/score-doc.codec';
import { LeadScore } from './schemas/lead-score.schema';

type ChunkFilter = Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'> & {
  staleBefore?: Date;
};

/** Stored with each score but read by no lead view (`toLeadModel`): left out of exports. */
const EXPORT_UNREAD_FIELDS = {
  searchText: 0,
  attributes: 0,
  attributesStamp: 0,
  shadow: 0,
  writeId: 0,
} as const;

/** A row's fields but the override's end, which a rescoring reads with the whole override. */
const { 'override.expiresAt': _overrideEnd, ...ROW_FIELDS } = SCORE_ROW_PROJECTION;

/**
 * What a rescoring reads of each stored score: all but what it recomputes anyway (the breakdown,
 * the search text) — a ranking row (SCORE_ROW_PROJECTION) and what scoring needs besides, the
 * shadow score included (an update in place writes only the fields that moved:
 * scoreFieldsUpdate). Named field by field: mongo-java-server copies a document whole and then
 * deletes for an exclusion projection, slower than reading the whole document.
 */
export const RESCORING_READ = {
  ...ROW_FIELDS,
  attributes: 1,
  attributesStamp: 1,
  override: 1,
  trendPoints: 1,
  configVersion: 1,
  modelId: 1,
  modelVersion: 1,
  historyCount: 1,
  shadow: 1,
  // The write guard's token (buildScoreWrite).
  writeId: 1,
} as const satisfies Partial<Record<keyof StoredScore, 1>> &
  // An update in place compares these with what it read (scoreFieldsUpdate).
  Record<RescoringReadOwnedField, 1>;

/** A cursor's documents in chunks of `size` (the last one shorter); the cursor closed at the end. */
async function* inChunks<T>(
  cursor: AsyncIterable<T> & { close(): Promise<void> },
  size: number,
): AsyncGenerator<T[]> {
  try {
    let chunk: T[] = [];
    for await (const doc of cursor) {
      chunk.push(doc);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  } finally {
    await cursor.close();
  }
}

/**
 * The walks of `leadScores` that batch work makes over a whole tenant (rescoring, the freshness
 * job, the ranking index's rebuild, exports) and their counts: driver cursors read in chunks.
 * Pages and single leads are LeadScoreQueries'.
 */
@Injectable()
export class ScoreWalks extends TenantRepository<LeadScore> {
  constructor(@InjectModel(LeadScore.name) model: Model<LeadScore>) {
    super(model);
  }

  /**
   * The tenant's scores matching a filter, in lead order, after `afterRef`, in chunks. One query
   * and a driver cursor for the whole walk: a query per chunk would sort the collection once per
   * chunk on an engine that does not use the index. `withBreakdown: false` reads RESCORING_READ,
   * half the bytes (the engine projects batch by batch: MongoDB, and the local mongo-java-server's
   * launcher, whose stock projected every document of the walk before the first batch).
   */
  chunks(
    tenantId: string,
    filter: ChunkFilter,
    afterRef: Types.ObjectId | null,
    size: number,
    options: { withBreakdown: false },
  ): AsyncGenerator<StoredScore[]>;
  chunks(
    tenantId: string,
    filter: ChunkFilter,
    afterRef: Types.ObjectId | null,
    size: number,
    options?: { withBreakdown: true },
  ): AsyncGenerator<LeadScore[]>;
  async *chunks(
    tenantId: string,
    filter: ChunkFilter,
    afterRef: Types.ObjectId | null,
    size: number,
    { withBreakdown = true }: { withBreakdown?: boolean } = {},
  ): AsyncGenerator<StoredScore[]> {
    const base = this.scope(tenantId, rankedScoreFilter(filter)) as Record<string, unknown>;
    if (afterRef) base._id = { $gt: afterRef };
    if (filter.staleBefore) base.computedAt = { $lt: filter.staleBefore };
    const cursor = decodedFind<StoredScore>(this.model.collection, base, {
      sort: { _id: 1 },
      batchSize: size,
      ...(withBreakdown ? {} : { projection: RESCORING_READ }),
    });
    yield* inChunks(cursor, size);
  }

  /**
   * The ranking index's rebuild walk: the rows (SCORE_ROW_PROJECTION) of every score of the tenant
   * the ranked list shows, in chunks, in no particular order (the index keeps the newest entry of a
   * lead by its version, whatever the order of arrival). No sort: mongo-java-server sorts the whole
   * match before its first batch, and a real MongoDB would walk an index for it.
   */
  async *rankingWalk(tenantId: string, size: number): AsyncGenerator<ScoreRow[]> {
    const filter = this.scope(tenantId, {}) as Record<string, unknown>;
    const cursor = decodedFind<ScoreRow>(this.model.collection, filter, {
      batchSize: size,
      projection: SCORE_ROW_PROJECTION,
    });
    yield* inChunks(cursor, size);
  }

  /**
   * The export's walk: the tenant's scores matching a filter, in lead order, one at a time, from
   * one driver cursor reading `batchSize` per round trip. Without what no lead view reads (the
   * search text, the attributes copy and its stamp, a shadow model's score, the write guard's
   * token), so that a document costs the export only the fields it writes. Each document is handed
   * on as soon as it is read: the caller decides how many it keeps (the export keeps none, only
   * their text), whereas `chunks` gathers `size` documents first, which a walk of the whole tenant
   * does not need.
   */
  async *exportScores(
    tenantId: string,
    filter: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'>,
    batchSize: number,
  ): AsyncGenerator<LeadScore> {
    const query = this.scope(tenantId, rankedScoreFilter(filter)) as Record<string, unknown>;
    const cursor = decodedFind<LeadScore>(this.model.collection, query, {
      sort: { _id: 1 },
      batchSize,
      projection: EXPORT_UNREAD_FIELDS,
    });
    try {
      for await (const doc of cursor) yield doc;
    } finally {
      await cursor.close();
    }
  }

  countMatching(
    tenantId: string,
    filter: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'>,
  ): Promise<number> {
    return this.model.countDocuments(this.scope(tenantId, rankedScoreFilter(filter))).exec();
  }

  /** Scores of one tenant, all or only those computed before `staleBefore`. */
  countScores(tenantId: string, { staleBefore }: { staleBefore?: Date } = {}): Promise<number> {
    return this.count(tenantId, staleBefore ? { computedAt: { $lt: staleBefore } } : {});
  }

  /** All stored scores of the deployment, from the collection's metadata (no scan). */
  estimatedScoreCount(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }

  /** Tenants that have scores older than `before` (for the freshness job). */
  async tenantsWithStaleScores(before: Date): Promise<string[]> {
    const ids = await this.model.distinct('tenantId', { computedAt: { $lt: before } }).exec();
    return ids.map((id) => id.toHexString());
  }
}
