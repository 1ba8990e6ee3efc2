import { randomUUID } from 'node:crypto';

import mongoose from 'mongoose';

import { describeMongoEngine } from '@/common/tenancy/mongo-engine.util';

export interface MongoSmokeCheckResult {
  /** e.g. "mongod 8.0.4" or "mongo-java-server (reports 4.4.0)". */
  readonly engine: string;
  readonly checks: readonly string[];
}

/** Thrown when the engine lacks something the project relies on; the message names it. */
export class MongoSmokeCheckError extends Error {
  constructor(step: string, cause: unknown) {
    super(
      `MongoDB smoke check failed at "${step}": ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'MongoSmokeCheckError';
  }
}

/**
 * Proves at start-up that the engine does what the code needs: a unique index that rejects a
 * duplicate, an upsert through findOneAndUpdate, bulkWrite, and an aggregation. Works in a scratch
 * collection of the app's own database and drops it afterwards.
 */
export async function runMongoSmokeCheck(
  uri: string,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<MongoSmokeCheckResult> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    autoIndex: false,
  });
  const checks: string[] = [];
  const step = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    try {
      const result = await action();
      checks.push(name);
      return result;
    } catch (error) {
      throw new MongoSmokeCheckError(name, error);
    }
  };

  try {
    await step('connect', () => connection.asPromise());
    const db = connection.db;
    if (!db) throw new MongoSmokeCheckError('connect', 'no database handle');
    const info = await step('buildInfo', () => db.admin().command({ buildInfo: 1 }));
    const collection = db.collection(`_smokeCheck_${randomUUID().slice(0, 8)}`);
    try {
      await step('unique index', async () => {
        await collection.createIndex({ key: 1 }, { unique: true });
        await collection.insertOne({ key: 'a', n: 1 });
        const duplicate = await collection.insertOne({ key: 'a', n: 2 }).then(
          () => false,
          (error: { code?: number }) => error.code === 11000,
        );
        if (!duplicate) throw new Error('a duplicate key was accepted by a unique index');
      });
      await step('findOneAndUpdate upsert', async () => {
        const doc = await collection.findOneAndUpdate(
          { key: 'b' },
          { $set: { n: 2 }, $setOnInsert: { created: true } },
          { upsert: true, returnDocument: 'after' },
        );
        if (doc?.n !== 2 || doc.created !== true)
          throw new Error(`unexpected upsert result ${JSON.stringify(doc)}`);
      });
      await step('bulkWrite', async () => {
        const result = await collection.bulkWrite(
          [
            { updateOne: { filter: { key: 'c' }, update: { $set: { n: 3 } }, upsert: true } },
            { updateOne: { filter: { key: 'a' }, update: { $inc: { n: 10 } } } },
            { insertOne: { document: { key: 'd', n: 4 } } },
          ],
          { ordered: false },
        );
        if (result.upsertedCount !== 1 || result.modifiedCount !== 1 || result.insertedCount !== 1)
          throw new Error(`unexpected bulkWrite counts ${JSON.stringify(result)}`);
      });
      await step('aggregation', async () => {
        const [row] = await collection
          .aggregate<{ total: number; count: number }>([
            { $match: { n: { $gte: 2 } } },
            { $group: { _id: null, total: { $sum: '$n' }, count: { $sum: 1 } } },
          ])
          .toArray();
        // n values after the writes: a=11, b=2, c=3, d=4.
        if (row?.total !== 20 || row.count !== 4)
          throw new Error(`unexpected aggregation ${JSON.stringify(row)}`);
      });
    } finally {
      await collection.drop().catch(() => undefined);
    }
    return { engine: describeMongoEngine(info), checks };
  } finally {
    await connection.close().catch(() => undefined);
  }
}
