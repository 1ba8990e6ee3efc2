import { hash } from 'node:crypto';

import { Types } from 'mongoose';

/**
 * A stable ObjectId for a natural key (a lead's external id in its tenant, an event's idempotency
 * key in its tenant): the first 12 bytes of SHA-256 over the kind and the parts. Writers then find
 * and upsert documents by `_id`, the one index every engine uses for `$in`, and a second delivery
 * of the same key meets the same `_id`, which is also what keeps natural keys unique (no unique
 * index on them: one not starting with the shard key `{tenantId, _id}` would block sharding). 96
 * bits: a collision (two keys, one `_id`) is as unlikely as two random ObjectIds meeting.
 */
export function derivedObjectId(kind: string, ...parts: string[]): Types.ObjectId {
  // Length-prefixed parts, so ("ab", "c") and ("a", "bc") differ. One string hashed at once
  // (crypto.hash): the digest of createHash fed the same pieces in turn, at ~2/3 of its CPU
  // (1.2 against 1.8 µs; a call of 1,000 events derives 2,000 ids).
  let text = kind;
  for (const part of parts) text += `\u0000${part.length}:${part}`;
  return new Types.ObjectId(hash('sha256', text, 'buffer').subarray(0, 12));
}
