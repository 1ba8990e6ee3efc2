import { randomUUID } from 'node:crypto';

import type Redis from 'ioredis';
import type { mongo } from 'mongoose';

/** Where health probes and the engine supervisor write; one small document per writer. */
export const HEALTH_PROBES_COLLECTION = 'healthProbes';

export interface ProbeDocument {
  _id: string;
  nonce: string;
  at: Date;
}

/**
 * Upserts one small document keyed by `id` and reads it back. A ping is not enough: a
 * mongo-java-server whose H2 store has closed still answers pings and reads from its cache while
 * refusing every write; a MongoDB with a full disk does much the same.
 */
export async function mongoWriteRead(
  collection: mongo.Collection<ProbeDocument>,
  id: string,
): Promise<void> {
  const nonce = randomUUID();
  await collection.updateOne({ _id: id }, { $set: { nonce, at: new Date() } }, { upsert: true });
  const read = await collection.findOne({ _id: id });
  if (read?.nonce !== nonce) throw new Error('the read did not return the value just written');
}

/**
 * Sets a short-lived key and reads it back: a Redis refusing writes (MISCONF after a failed save,
 * OOM under maxmemory, a read-only replica) still answers PING.
 */
export async function redisWriteRead(client: Redis, key: string): Promise<void> {
  const nonce = randomUUID();
  await client.set(key, nonce, 'PX', 60_000);
  const read = await client.get(key);
  if (read !== nonce) throw new Error('the read did not return the value just written');
}
