import mongoose from 'mongoose';

import { interactionIdFor } from '../src/leads/interactions.repository';
import { leadRefFor } from '../src/leads/lead-snapshot.util';
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
  /**
   * Events per second acknowledged by `recordInteractions` with `acknowledge: LOGGED` (stored in
   * the log, applied after the answer), per round, from each call's send to its answer.
   */
  readonly runs: number[];
  /**
   * Events per second of the same LOGGED calls until their deltas were applied (the app's backlog
   * empty), per round: from the first call's send to the backlog seen empty.
   */
  readonly appliedRuns: number[];
  /** Events per second with `acknowledge: APPLIED` (answered once applied), per round. */
  readonly syncRuns: number[];
  /** Events per second of a raw driver `insertMany` of the same documents, per round. */
  readonly rawRuns: number[];
  readonly eventsPerSecond: number;
  readonly appliedEventsPerSecond: number;
  readonly syncEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
  /** Median of ours (acknowledged LOGGED) over the median of raw. */
  readonly ratio: number;
  readonly appliedRatio: number;
  readonly syncRatio: number;
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

/** The app's `leadscoring_interactions_backlog` (events it has yet to apply), from `/metrics`. */
export async function backlogOf(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('leadscoring_interactions_backlog{'));
  if (!line) throw new Error('the app reports no leadscoring_interactions_backlog');
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Waits until the app has applied every event it acknowledged (polling every 20 ms). */
async function backlogEmptied(baseUrl: string): Promise<void> {
  for (;;) {
    if ((await backlogOf(baseUrl)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a step inside a labelled profile window (ProfileWindows.timed), or just runs it. */
type Timed = <T>(label: string, run: () => Promise<T>) => Promise<T>;

const MUTATION =
  'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted queued } }';

type IngestionEvent = ReturnType<typeof ingestionEvents>[number];

/**
 * The documents the app stores for these events (LeadEngagementService builds them, the
 * InteractionsRepository adds tenant and receipt time), under new `_id`s: what the raw inserts
 * write. `timeIngestion` checks them against what the app stored, every round.
 */
export function storedEventCopies(
  tenantId: string,
  events: readonly IngestionEvent[],
  receivedAt: Date,
): Document[] {
  const tenant = new mongoose.Types.ObjectId(tenantId);
  return events.map((event) => ({
    _id: new mongoose.Types.ObjectId(),
    leadRef: leadRefFor(tenantId, event.leadId),
    type: event.type,
    occurredAt: new Date(event.occurredAt),
    idempotencyKey: event.idempotencyKey,
    emailOpen: event.type === 'EMAIL_OPEN' ? 1 : 0,
    visit: event.type === 'WEBSITE_VISIT' ? 1 : 0,
    secondsSpent: event.type === 'EMAIL_OPEN' ? 0 : (event.secondsSpent ?? 0),
    metadata: {},
    tenantId: tenant,
    receivedAt,
  }));
}

/** A stored event as the raw copies are compared with it: everything but `_id` and `receivedAt`. */
function comparable(doc: Document): string {
  const { _id, receivedAt, ...rest } = doc;
  void _id;
  void receivedAt;
  return JSON.stringify(rest);
}

/**
 * The ingestion measure (issue 16): `rounds` rounds, each of
 * - `batches` calls of `recordInteractions` with INGEST_BATCH new events for leads that exist,
 *   answered once applied (APPLIED);
 * - as many answered once logged (LOGGED), each followed by a raw driver `insertMany` of the
 *   same event documents as the app stores them (`storedEventCopies`, new `_id`s) into a scratch
 *   collection with the `interactions` indexes on the same engine: pairs, so that the engine's
 *   state (its garbage collector above all) touches both sides alike;
 * - the wait until the app's backlog is empty: the LOGGED events' applied rate runs from the first
 *   LOGGED call's send to then, less the raw inserts' time in between.
 * Medians of the rounds.
 */
export async function timeIngestion({
  url,
  token,
  tenantId,
  db,
  leadIds,
  rounds,
  batches,
  timed = (_label, run) => run(),
}: {
  /** Profile windows per step: `ingestion, APPLIED calls`, `… LOGGED calls`, `… raw`, `… LOGGED apply`. */
  timed?: Timed;
  /** The app's base URL (GraphQL at /graphql, metrics at /metrics). */
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
  const appliedRuns: number[] = [];
  const syncRuns: number[] = [];
  const rawRuns: number[] = [];
  const call = async (interactions: IngestionEvent[], acknowledge: 'APPLIED' | 'LOGGED') => {
    const started = performance.now();
    const answer = await timed(`ingestion, ${acknowledge} calls`, () =>
      benchGql<{ recordInteractions: { accepted: number; queued: number } }>(
        url,
        MUTATION,
        { input: { interactions, acknowledge } },
        token,
      ),
    );
    const { accepted, queued } = answer.recordInteractions;
    if (accepted !== INGEST_BATCH || queued !== (acknowledge === 'LOGGED' ? INGEST_BATCH : 0))
      throw new Error(`recordInteractions (${acknowledge}) accepted ${accepted}, queued ${queued}`);
    return performance.now() - started;
  };
  for (let round = 0; round < rounds; round++) {
    // Calls number their events' keys and take leads in turn by their number (ingestionEvents).
    let syncMs = 0;
    for (let b = 0; b < batches; b++)
      syncMs += await call(
        ingestionEvents(leadIds, 2 * round * batches + b, INGEST_BATCH),
        'APPLIED',
      );
    syncRuns.push(((batches * INGEST_BATCH) / syncMs) * 1000);

    let oursMs = 0;
    let rawMs = 0;
    const logged: IngestionEvent[] = [];
    const first = performance.now();
    for (let b = 0; b < batches; b++) {
      const interactions = ingestionEvents(leadIds, (2 * round + 1) * batches + b, INGEST_BATCH);
      logged.push(...interactions);
      oursMs += await call(interactions, 'LOGGED');
      const copies = storedEventCopies(tenantId, interactions, new Date());
      const started = performance.now();
      await timed('ingestion, raw', () => raw.insertMany(copies, { ordered: false }));
      rawMs += performance.now() - started;
    }
    await timed('ingestion, LOGGED apply', () => backlogEmptied(url));
    const untilAppliedMs = performance.now() - first - rawMs;
    runs.push((logged.length / oursMs) * 1000);
    rawRuns.push((logged.length / rawMs) * 1000);
    appliedRuns.push((logged.length / untilAppliedMs) * 1000);

    const ids = logged.map((event) => interactionIdFor(tenantId, event.idempotencyKey));
    const receipts = await db
      .collection('interactionReceipts')
      .countDocuments({ _id: { $in: ids } });
    if (receipts !== ids.length)
      throw new Error(`${ids.length - receipts} of ${ids.length} logged events not applied`);
    const sample = await db.collection('interactions').findOne({ _id: ids[round % ids.length] });
    const copy = storedEventCopies(tenantId, [logged[round % ids.length]], new Date())[0];
    if (!sample || comparable(sample) !== comparable(copy))
      throw new Error(
        `the raw copies are no longer what the app stores: ${sample ? comparable(sample) : 'nothing'} against ${comparable(copy)}`,
      );
  }
  await raw.drop().catch(() => undefined);
  const rawEventsPerSecond = median(rawRuns);
  return {
    runs,
    appliedRuns,
    syncRuns,
    rawRuns,
    eventsPerSecond: median(runs),
    appliedEventsPerSecond: median(appliedRuns),
    syncEventsPerSecond: median(syncRuns),
    rawEventsPerSecond,
    ratio: median(runs) / rawEventsPerSecond,
    appliedRatio: median(appliedRuns) / rawEventsPerSecond,
    syncRatio: median(syncRuns) / rawEventsPerSecond,
    eventsPerRound: batches * INGEST_BATCH,
  };
}
