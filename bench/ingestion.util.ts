import mongoose from 'mongoose';

import { interactionIdFor } from '../src/leads/interactions.repository';
import { benchGql } from './bench-setup.util';
import { median } from './stats.util';

type Db = mongoose.mongo.Db;
type Document = mongoose.mongo.Document;
type Collection<T extends Document> = mongoose.mongo.Collection<T>;

/** Events per `recordInteractions` call and per raw `insertMany`: the batch size. */
export const INGEST_BATCH = 1000;

/** Where the raw inserts go: a collection of their own, with the `interactions` indexes. */
export const RAW_INTERACTIONS = 'bench_raw_interactions';

export interface IngestionFigures {
  /** Events per second through `recordInteractions`, per round (from each call's send to its answer). */
  readonly runs: number[];
  /** Events per second of a raw driver `insertMany` of the same documents, per round. */
  readonly rawRuns: number[];
  readonly eventsPerSecond: number;
  readonly rawEventsPerSecond: number;
  /** Median of ours over the median of raw. */
  readonly ratio: number;
  readonly eventsPerRound: number;
}

/** `n` events for existing leads (one per lead, leads taken in turn), keys unique to the round. */
export function ingestionEvents(
  leadIds: readonly string[],
  round: number,
  n: number,
  now = Date.now(),
): {
  leadId: string;
  type: string;
  secondsSpent?: number;
  occurredAt: string;
  idempotencyKey: string;
}[] {
  return Array.from({ length: n }, (_, i) => {
    const leadId = leadIds[(round * n + i) % leadIds.length];
    const visit = i % 2 === 0;
    return {
      leadId,
      type: visit ? 'WEBSITE_VISIT' : 'EMAIL_OPEN',
      ...(visit ? { secondsSpent: 30 + (i % 300) } : {}),
      occurredAt: new Date(now - (i % 60) * 1000).toISOString(),
      idempotencyKey: `ingest-${round}-${i}`,
    };
  });
}

/** The scratch collection, emptied, with the same indexes as `interactions`. */
async function rawCollection(db: Db): Promise<Collection<Document>> {
  await db
    .collection(RAW_INTERACTIONS)
    .drop()
    .catch(() => undefined);
  const raw = db.collection(RAW_INTERACTIONS);
  for (const index of await db.collection('interactions').indexes()) {
    if (index.name === '_id_') continue;
    await raw.createIndex(index.key, { name: index.name, unique: index.unique ?? false });
  }
  return raw;
}

/**
 * The ingestion measure (issue 16): `rounds` rounds, each `batches` calls of `recordInteractions`
 * with INGEST_BATCH new events for leads that exist, then a raw driver `insertMany` of the very
 * documents those calls stored (read back by their derived ids, given new `_id`s) into a scratch
 * collection with the `interactions` indexes on the same engine, in batches of the same size.
 * Rounds interleave ours and raw so that drift on the machine touches both; medians.
 */
export async function timeIngestion({
  url,
  token,
  tenantId,
  db,
  leadIds,
  rounds,
  batches,
}: {
  url: string;
  token: string;
  tenantId: string;
  db: Db;
  leadIds: readonly string[];
  rounds: number;
  batches: number;
}): Promise<IngestionFigures> {
  const raw = await rawCollection(db);
  const runs: number[] = [];
  const rawRuns: number[] = [];
  const mutation =
    'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted } }';
  for (let round = 0; round < rounds; round++) {
    const keys: string[] = [];
    let oursMs = 0;
    for (let b = 0; b < batches; b++) {
      const interactions = ingestionEvents(leadIds, round * batches + b, INGEST_BATCH);
      keys.push(...interactions.map((event) => event.idempotencyKey));
      const started = performance.now();
      const answer = await benchGql<{ recordInteractions: { accepted: number } }>(
        url,
        mutation,
        { input: { interactions } },
        token,
      );
      oursMs += performance.now() - started;
      if (answer.recordInteractions.accepted !== INGEST_BATCH)
        throw new Error(
          `recordInteractions accepted ${answer.recordInteractions.accepted} of ${INGEST_BATCH}`,
        );
    }
    runs.push((keys.length / oursMs) * 1000);

    const ids = keys.map((key) => interactionIdFor(tenantId, key));
    const stored: Document[] = [];
    for (let i = 0; i < ids.length; i += INGEST_BATCH)
      stored.push(
        ...(await db
          .collection('interactions')
          .find({ _id: { $in: ids.slice(i, i + INGEST_BATCH) } })
          .toArray()),
      );
    if (stored.length !== keys.length)
      throw new Error(`read back ${stored.length} of ${keys.length} events`);
    const copies = stored.map((doc) => ({ ...doc, _id: new mongoose.Types.ObjectId() }));
    const started = performance.now();
    for (let i = 0; i < copies.length; i += INGEST_BATCH)
      await raw.insertMany(copies.slice(i, i + INGEST_BATCH), { ordered: false });
    rawRuns.push((copies.length / (performance.now() - started)) * 1000);
  }
  await raw.drop().catch(() => undefined);
  const eventsPerSecond = median(runs);
  const rawEventsPerSecond = median(rawRuns);
  return {
    runs,
    rawRuns,
    eventsPerSecond,
    rawEventsPerSecond,
    ratio: eventsPerSecond / rawEventsPerSecond,
    eventsPerRound: batches * INGEST_BATCH,
  };
}
