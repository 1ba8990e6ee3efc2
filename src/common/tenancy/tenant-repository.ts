import type {
  QueryFilter,
  Model,
  ProjectionType,
  QueryOptions,
  Schema,
  UpdateQuery,
} from 'mongoose';
import { Types } from 'mongoose';

import { decodedFind } from './decoded-find.util';

/** One bulkWrite operation (insertOne, updateOne, updateMany, replaceOne, deleteOne, deleteMany). */
export type BulkOperation = Record<string, Record<string, unknown>>;

/** An update of one stored document, never an upsert: its filter and its update document. */
export interface StoredUpdate {
  readonly filter: Record<string, unknown>;
  readonly update: Record<string, unknown>;
}

/** What `updateStoredByCommands` did: documents matched, and statements refused by position. */
export interface StoredUpdateOutcome {
  readonly matchedCount: number;
  readonly writeErrors: readonly { index: number; code?: number; message: string }[];
}

/** What every tenant-owned document carries. */
export interface TenantOwned {
  tenantId: Types.ObjectId;
}

/**
 * `{tenantId, _id}`, unique, for collections written by id at volume (leads, scores, events). Every
 * scoped write by id filters on exactly these two fields: mongo-java-server answers such a filter
 * from this index (it uses an index only when a filter names exactly its fields, so `{_id, tenantId}`
 * without it scans the collection: 0.8 s against 0.06 s for 1,000 updates among 20,000 documents).
 * On MongoDB it is also the shard key the design names ({tenantId} first).
 */
export function addTenantKeyIndex(schema: Schema): void {
  schema.index({ tenantId: 1, _id: 1 }, { unique: true });
}

/**
 * `{tenantId, _id, <version>}`, unique (as `_id` is): for writes conditional on a version read
 * before, `{_id, tenantId, version: k}`. mongo-java-server answers that filter from this index
 * (0.8 ms among 50,000 documents, against 15 ms scanning without it); MongoDB from either.
 */
export function addTenantVersionIndex(schema: Schema, versionField: string): void {
  schema.index({ tenantId: 1, _id: 1, [versionField]: 1 }, { unique: true });
}

/**
 * The one place tenant scoping happens. Every read and write of tenant-owned data goes through a
 * subclass of this, and every method takes the tenant first and forces it into the filter, so no
 * caller can forget it and no id from another tenant can match: such a lookup finds nothing.
 */
export abstract class TenantRepository<T extends TenantOwned> {
  protected constructor(protected readonly model: Model<T>) {}

  protected scope(tenantId: string | Types.ObjectId, filter: QueryFilter<T> = {}): QueryFilter<T> {
    return { ...filter, tenantId: toObjectId(tenantId) };
  }

  /** Filter by `_id`; an id that is not a valid ObjectId simply matches nothing. */
  protected byId(tenantId: string | Types.ObjectId, id: string): QueryFilter<T> | undefined {
    if (!Types.ObjectId.isValid(id)) return undefined;
    return this.scope(tenantId, { _id: new Types.ObjectId(id) });
  }

  /**
   * Through the driver: what `findOne(filter).lean()` returns (no schema hides a field), without
   * Mongoose's query building and casting around it, ~5 % of a `lead(id)` read's CPU in a profile.
   */
  async findById(tenantId: string | Types.ObjectId, id: string): Promise<T | null> {
    const filter = this.byId(tenantId, id);
    if (!filter) return null;
    return (await this.model.collection.findOne(filter as Record<string, unknown>)) as T | null;
  }

  find(
    tenantId: string | Types.ObjectId,
    filter: QueryFilter<T> = {},
    options: {
      projection?: ProjectionType<T>;
      sort?: Record<string, 1 | -1>;
      skip?: number;
      limit?: number;
    } = {},
  ): Promise<T[]> {
    let query = this.model.find(this.scope(tenantId, filter), options.projection);
    if (options.sort) query = query.sort(options.sort);
    if (options.skip) query = query.skip(options.skip);
    if (options.limit) query = query.limit(options.limit);
    return query.lean<T[]>().exec();
  }

  /**
   * Documents of the tenant with these `_id`s. The query names `_id` alone and the tenant is checked
   * on the results: an `$in` beside another field makes mongo-java-server scan the whole collection
   * (measured: 2.8 ms against 390 ms for 50 ids among 100,000 documents), and a real MongoDB answers
   * both shapes from the `_id` index. Another tenant's id still finds nothing. Documents come in
   * the order of `ids`.
   */
  async findByIds(
    tenantId: string | Types.ObjectId,
    ids: readonly Types.ObjectId[],
    projection?: Record<string, 0 | 1>,
  ): Promise<T[]> {
    if (ids.length === 0) return [];
    const tenant = toObjectId(tenantId);
    const withTenant =
      projection && !Object.values(projection).includes(0)
        ? { ...projection, tenantId: 1 }
        : projection;
    // Through the driver, each document decoded once (decodedFind): what `find().lean()` returns.
    const docs = await decodedFind<T>(
      this.model.collection,
      { _id: { $in: [...ids] } },
      // All in the first reply (the server's default first batch is 101 documents). One more than
      // asked: a first batch that fills `batchSize` exactly leaves a real mongod's cursor open, and
      // the driver would then send an empty getMore.
      { batchSize: ids.length + 1, ...(withTenant ? { projection: withTenant } : {}) },
    ).toArray();
    const byId = new Map(
      docs
        .filter((doc) => tenant.equals(doc.tenantId))
        .map((doc) => [(doc as unknown as { _id: Types.ObjectId })._id.toHexString(), doc]),
    );
    // In the order asked for (the engine answers in its own), each document once.
    return [...new Set(ids.map((id) => id.toHexString()))].flatMap((id) => {
      const doc = byId.get(id);
      return doc ? [doc] : [];
    });
  }

  /** One page of a list (`page` from 1) and how many match in all. */
  async page(
    tenantId: string | Types.ObjectId,
    filter: QueryFilter<T>,
    {
      sort,
      page,
      limit,
      projection,
    }: {
      sort: Record<string, 1 | -1>;
      page: number;
      limit: number;
      projection?: ProjectionType<T>;
    },
  ): Promise<{ items: T[]; total: number }> {
    const [items, total] = await Promise.all([
      this.find(tenantId, filter, { sort, skip: (page - 1) * limit, limit, projection }),
      this.count(tenantId, filter),
    ]);
    return { items, total };
  }

  findOne(tenantId: string | Types.ObjectId, filter: QueryFilter<T>): Promise<T | null> {
    return this.model.findOne(this.scope(tenantId, filter)).lean<T>().exec();
  }

  count(tenantId: string | Types.ObjectId, filter: QueryFilter<T> = {}): Promise<number> {
    return this.model.countDocuments(this.scope(tenantId, filter)).exec();
  }

  async create(tenantId: string | Types.ObjectId, doc: Omit<Partial<T>, 'tenantId'>): Promise<T> {
    const [created] = await this.model.insertMany([
      { ...doc, tenantId: toObjectId(tenantId) } as never,
    ]);
    return (created as unknown as { toObject(): T }).toObject();
  }

  /** Updates one document of the tenant and returns it as it is after the update, or null. */
  async updateById(
    tenantId: string | Types.ObjectId,
    id: string,
    update: UpdateQuery<T>,
    options: QueryOptions<T> = {},
  ): Promise<T | null> {
    const filter = this.byId(tenantId, id);
    if (!filter) return null;
    return this.model
      .findOneAndUpdate(filter, update, { ...options, returnDocument: 'after' })
      .lean<T>()
      .exec();
  }

  async updateOne(
    tenantId: string | Types.ObjectId,
    filter: QueryFilter<T>,
    update: UpdateQuery<T>,
  ): Promise<T | null> {
    return this.model
      .findOneAndUpdate(this.scope(tenantId, filter), update, { returnDocument: 'after' })
      .lean<T>()
      .exec();
  }

  async updateMany(
    tenantId: string | Types.ObjectId,
    filter: QueryFilter<T>,
    update: UpdateQuery<T>,
  ): Promise<number> {
    const result = await this.model.updateMany(this.scope(tenantId, filter), update).exec();
    return result.modifiedCount;
  }

  /**
   * The same as `bulkWrite`, through the driver: no Mongoose casting, defaults, timestamps or
   * validation. Only for the volume paths whose operations the repository builds itself in stored
   * form (ObjectIds, Dates, every field): Mongoose's per-document work was the largest CPU cost of
   * ingestion and rescoring (2.4 s of 25 s profiled while seeding 5,000 leads).
   */
  async bulkWriteStored(
    tenantId: string | Types.ObjectId,
    operations: BulkOperation[],
  ): Promise<{ matchedCount: number; upsertedCount: number }> {
    if (operations.length === 0) return { matchedCount: 0, upsertedCount: 0 };
    const tenant = toObjectId(tenantId);
    const scoped = operations.map((operation) => scopeBulkOperation(operation, tenant));
    const result = await this.model.collection.bulkWrite(scoped as never, { ordered: false });
    return { matchedCount: result.matchedCount, upsertedCount: result.upsertedCount };
  }

  /**
   * Updates of stored documents (never upserts), scoped to the tenant and sent as the engine's own
   * `update` commands of at most `perCommand` statements each. Why not `bulkWriteStored`: the
   * driver's bulkWrite sizes every statement (BSON.calculateObjectSize, to split its batches) and
   * then serializes it again to send it, and the sizing costs as much as the serializing. A probe
   * (mongo-java-server, command monitoring on as in the app, 30,000 updates of a score's fields in
   * commands of 1,000, 6 rounds): the app's CPU per 1,000 updates 17.5–28 ms through bulkWrite,
   * 8.6–12.8 ms as commands. The price: nothing splits a command by its size, and a command is one
   * BSON document (16 MB at most), so this is only for statements of a known bound, `perCommand`
   * times that bound well under 16 MB. Answers the documents matched and the statements the engine
   * refused (by position in `updates`); throws when a command fails as a whole, or on a write
   * concern error.
   */
  async updateStoredByCommands(
    tenantId: string | Types.ObjectId,
    updates: readonly StoredUpdate[],
    perCommand: number,
  ): Promise<StoredUpdateOutcome> {
    if (updates.length === 0) return { matchedCount: 0, writeErrors: [] };
    const db = this.model.db.db;
    if (!db) throw new Error('not connected to the database');
    const tenant = toObjectId(tenantId);
    // The connection's write concern (the URI's), which bulkWrite would have applied.
    const concern = db.writeConcern;
    const writeConcern = concern
      ? {
          ...(concern.w !== undefined ? { w: concern.w } : {}),
          ...(concern.journal !== undefined ? { j: concern.journal } : {}),
          ...(concern.wtimeoutMS !== undefined ? { wtimeout: concern.wtimeoutMS } : {}),
        }
      : undefined;
    // The commands at once (unordered, as bulkWrite's batches are): no round trip between them.
    const starts: number[] = [];
    for (let start = 0; start < updates.length; start += perCommand) starts.push(start);
    const replies = await Promise.all(
      starts.map(
        (start) =>
          db.command({
            update: this.model.collection.collectionName,
            updates: updates
              .slice(start, start + perCommand)
              .map(({ filter, update }) => ({ q: { ...filter, tenantId: tenant }, u: update })),
            ordered: false,
            ...(writeConcern ? { writeConcern } : {}),
          }) as Promise<{
            n?: number;
            writeErrors?: { index: number; code?: number; errmsg?: string }[];
            writeConcernError?: { code?: number; errmsg?: string };
          }>,
      ),
    );
    let matchedCount = 0;
    const writeErrors: { index: number; code?: number; message: string }[] = [];
    replies.forEach((reply, i) => {
      if (reply.writeConcernError)
        throw new Error(`write concern error: ${reply.writeConcernError.errmsg ?? 'unknown'}`);
      matchedCount += reply.n ?? 0;
      for (const error of reply.writeErrors ?? [])
        writeErrors.push({
          index: starts[i] + error.index,
          code: error.code,
          message: error.errmsg ?? 'refused',
        });
    });
    return { matchedCount, writeErrors };
  }

  /**
   * `bulkWriteStored` for batches whose items may fail on their own (a unique index, a document
   * the engine refuses): the items an unordered batch could not write are retried one by one, and
   * those that fail again are answered by position with a reason fit for the client. Errors that
   * are not per item (the engine unreachable) are thrown as they are.
   */
  async bulkWriteStoredItems(
    tenantId: string | Types.ObjectId,
    operations: BulkOperation[],
  ): Promise<Map<number, string>> {
    const failed = new Map<number, string>();
    try {
      await this.bulkWriteStored(tenantId, operations);
      return failed;
    } catch (error) {
      const writeErrors = (
        error as { writeErrors?: { index?: number; err?: { index?: number } }[] }
      ).writeErrors;
      if (!writeErrors || writeErrors.length === 0) throw error;
      for (const writeError of writeErrors) {
        const index = writeError.index ?? writeError.err?.index;
        if (index === undefined) throw error;
        try {
          await this.bulkWriteStored(tenantId, [operations[index]]);
        } catch (again) {
          const itemErrors = (again as { writeErrors?: { code?: number }[] }).writeErrors;
          if (!itemErrors || itemErrors.length === 0) throw again;
          failed.set(index, describeWriteError(itemErrors[0].code));
        }
      }
      return failed;
    }
  }

  /** Bulk writes whose filters (and inserted documents) are all forced into the tenant. */
  async bulkWrite(tenantId: string | Types.ObjectId, operations: BulkOperation[]): Promise<void> {
    if (operations.length === 0) return;
    const tenant = toObjectId(tenantId);
    const scoped = operations.map((operation) => scopeBulkOperation(operation, tenant));
    await this.model.bulkWrite(scoped as never, { ordered: false });
  }
}

/** What a client may learn of a per-item write failure (never the engine's own message). */
function describeWriteError(code: number | undefined): string {
  if (code === 11000) return 'conflicts with a stored document (duplicate key)';
  if (code === 10334 || code === 17419) return 'the document is too large to store';
  return `the database refused it (code ${code ?? 'unknown'})`;
}

export function toObjectId(id: string | Types.ObjectId): Types.ObjectId {
  return typeof id === 'string' ? new Types.ObjectId(id) : id;
}

function scopeBulkOperation(operation: BulkOperation, tenantId: Types.ObjectId): unknown {
  const [kind, body] = Object.entries(operation)[0];
  if (kind === 'insertOne') {
    return { insertOne: { ...body, document: { ...(body.document as object), tenantId } } };
  }
  // An upsert copies the filter's equality fields, tenantId included, into the new document.
  const filter = { ...(body.filter as object), tenantId };
  if (kind === 'replaceOne') {
    return {
      replaceOne: { ...body, filter, replacement: { ...(body.replacement as object), tenantId } },
    };
  }
  return { [kind]: { ...body, filter } };
}
