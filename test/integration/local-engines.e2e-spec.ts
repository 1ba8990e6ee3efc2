import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';
import mongoose from 'mongoose';

import { loadConfig } from '@/config/load-config';
import { guardChild } from '@/local-engines/child-process.util';
import type { SupervisorLogger } from '@/local-engines/engine-supervisor';
import { startLocalEngines, startMongoRecovering } from '@/local-engines/local-engines';
import { mongoJavaServerFile, startMongoEngine } from '@/local-engines/mongo-engine';
import { runMongoSmokeCheck } from '@/local-engines/mongo-smoke-check';
import { startRedisEngine } from '@/local-engines/redis-engine';
import { engineUrls } from '@test/utils/test-app';

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForDeath(pid: number | undefined, timeoutMs = 8_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Keeps what a start logged, to check it says what it did to the data file. */
function recordingLogger() {
  const lines: { level: string; entry: Record<string, unknown> }[] = [];
  const logger: SupervisorLogger = {
    log: (entry) => lines.push({ level: 'log', entry: entry as Record<string, unknown> }),
    warn: (entry) => lines.push({ level: 'warn', entry: entry as Record<string, unknown> }),
    error: (entry) => lines.push({ level: 'error', entry: entry as Record<string, unknown> }),
  };
  return { lines, logger };
}

/**
 * An H2 file holding L-1 in `leads` and a document nested `depth` levels deep in `collection`, as a
 * warm engine can leave it: written by an engine with a stack large enough to store it, which an
 * ordinary engine then cannot load. Alone in its collection it sits in the page read when the
 * collection is opened (the store cannot be opened as it is); beside others in a big collection
 * it does not, and only a read or a check finds it.
 */
async function writeTooDeepStore(
  persistentDir: string,
  depth: number,
  collection: string,
  uniqueIndex: boolean,
) {
  const writer = await startMongoEngine({
    engine: 'java',
    persistentDir,
    env: process.env,
    jvmArgs: ['-Xss64m'],
  });
  const connection = await mongoose.createConnection(`${writer.uri}/deep`).asPromise();
  try {
    const deep = connection.db!.collection(collection);
    if (uniqueIndex) await deep.createIndex({ leadId: 1 }, { unique: true });
    await connection.db!.collection('leads').insertOne({ leadId: 'L-1', name: 'Ada' });
    let attributes: Record<string, unknown> = {};
    for (let i = 0; i < depth; i++) attributes = { x: attributes };
    await deep.insertOne({ leadId: 'L-DEEP', attributes });
  } finally {
    await connection.close();
    // SIGTERM: the launcher closes its store, which commits everything.
    await writer.stop();
  }
}

/**
 * What a filter naming `_id` by equality and other fields answers: the document of that `_id`
 * alone, the rest of the filter matched on it (MongoDB's plan, and mongo-java-server's through
 * its launcher's idPositions: stock, it scanned the collection unless an index named exactly the
 * filter's fields). Whether the engine looked at other documents shows: `$expr` dividing by `d`,
 * which is 0 in every document but `a`, fails on any of them.
 */
async function expectIdFirstFilters(db: mongoose.mongo.Db): Promise<void> {
  const items = db.collection<{
    _id: string | mongoose.Types.ObjectId;
    v: number;
    d: number;
    w?: number;
  }>('idFirst');
  await items.deleteMany({});
  const oid = new mongoose.Types.ObjectId();
  await items.insertMany([
    { _id: 'a', v: 1, d: 2 },
    { _id: 'b', v: 1, d: 0 },
    { _id: 'c', v: 2, d: 0 },
    { _id: oid, v: 1, d: 0 },
  ]);
  // First in each filter: an engine matches a document's fields in the filter's order and stops at
  // the first that fails, so after `_id` it would never reach the division.
  const failsElsewhere = { $expr: { $gt: [{ $divide: [1, '$d'] }, 0] } };
  // The probe itself: a filter without `_id` meets the other documents and fails.
  await expect(items.find({ v: 1, ...failsElsewhere }).toArray()).rejects.toThrow();

  expect(await items.find({ ...failsElsewhere, _id: 'a', v: 1 }).toArray()).toEqual([
    { _id: 'a', v: 1, d: 2 },
  ]);
  // The `count` command (an aggregation's $match, countDocuments, is not looked up by `_id`).
  expect(
    await db.command({ count: 'idFirst', query: { ...failsElsewhere, _id: 'a' } }),
  ).toMatchObject({ n: 1 });
  expect(await items.find({ _id: 'a', v: 2 }).toArray()).toEqual([]);
  expect(await items.find({ _id: oid, v: 1 }).toArray()).toEqual([{ _id: oid, v: 1, d: 0 }]);
  expect(await items.find({ _id: 'zz', v: 1 }).toArray()).toEqual([]);
  // Not a plain value: as before (the `_id` index for $in, else a scan), same answers.
  expect(await items.find({ _id: { $in: ['a', 'c'] }, v: 2 }).toArray()).toEqual([
    { _id: 'c', v: 2, d: 0 },
  ]);

  const updated = await items.updateOne({ ...failsElsewhere, _id: 'a', v: 1 }, { $set: { w: 1 } });
  expect(updated.matchedCount).toBe(1);
  expect((await items.updateOne({ _id: 'a', v: 2 }, { $set: { w: 2 } })).matchedCount).toBe(0);
  // An upsert whose other fields do not match inserts, and collides on `_id`.
  await expect(
    items.updateOne({ _id: 'a', v: 2 }, { $set: { w: 3 } }, { upsert: true }),
  ).rejects.toMatchObject({ code: 11000 });
  expect((await items.deleteOne({ _id: 'c', v: 1 })).deletedCount).toBe(0);
  expect((await items.deleteOne({ _id: 'c', v: 2 })).deletedCount).toBe(1);
  expect(await items.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
    { _id: 'a', v: 1, d: 2, w: 1 },
    { _id: 'b', v: 1, d: 0 },
    { _id: oid, v: 1, d: 0 }, // BSON order: strings before ObjectIds
  ]);
}

/**
 * Reads by a list of ids and sorted reads (the launcher's idInPositions and sortedOnce: the same
 * answers, found faster): the same documents in MongoDB's order.
 */
async function expectIdListsAndSorts(db: mongoose.mongo.Db): Promise<void> {
  const items = db.collection<{ _id: string; g?: number; n?: { at: number }; s?: unknown }>(
    'sorted',
  );
  await items.deleteMany({});
  await items.insertMany([
    { _id: 'a', g: 2, n: { at: 3 }, s: 'x' },
    { _id: 'b', g: 1, n: { at: 1 }, s: 5 },
    { _id: 'c', g: 2, n: { at: 2 }, s: null },
    { _id: 'd', g: 1, s: 'y' },
    { _id: 'e', g: 3, n: { at: 0 }, s: 2 },
  ]);
  const ids = (docs: { _id: string }[]) => docs.map((doc) => doc._id);

  // By a list of ids: those that exist, each once, whatever the list's order and repeats.
  expect(ids(await items.find({ _id: { $in: ['e', 'zz', 'a', 'e'] } }).toArray()).sort()).toEqual([
    'a',
    'e',
  ]);
  expect(await items.find({ _id: { $in: [] } }).toArray()).toEqual([]);
  expect(
    ids(await items.find({ _id: { $in: ['a', 'b', 'c'] } }, { sort: { g: 1, _id: -1 } }).toArray()),
  ).toEqual(['b', 'c', 'a']);
  expect(
    ids(
      await items
        .find({ _id: { $in: ['a', 'b', 'c', 'd'] } }, { sort: { _id: 1 }, skip: 1, limit: 2 })
        .toArray(),
    ),
  ).toEqual(['b', 'c']);
  expect(await items.countDocuments({ _id: { $in: ['a', 'q'] } })).toBe(1);

  // Sorted: by several keys, a nested path (missing sorts first ascending), mixed types in
  // BSON's order (null, numbers, strings), with a filter, skip and limit.
  expect(ids(await items.find({}, { sort: { g: -1, _id: 1 } }).toArray())).toEqual([
    'e',
    'a',
    'c',
    'b',
    'd',
  ]);
  expect(ids(await items.find({}, { sort: { 'n.at': 1 } }).toArray())).toEqual([
    'd',
    'e',
    'b',
    'c',
    'a',
  ]);
  expect(ids(await items.find({}, { sort: { s: 1, _id: 1 } }).toArray())).toEqual([
    'c',
    'e',
    'b',
    'a',
    'd',
  ]);
  expect(
    ids(await items.find({ g: { $lt: 3 } }, { sort: { _id: -1 }, skip: 1, limit: 2 }).toArray()),
  ).toEqual(['c', 'b']);
  // The first in a sort's order is the one a findOneAndUpdate changes.
  const changed = await items.findOneAndUpdate(
    { g: 2 },
    { $set: { picked: true } },
    { sort: { 'n.at': 1 }, returnDocument: 'after' },
  );
  expect(changed).toMatchObject({ _id: 'c', picked: true });

  // An array sorts by its smallest element ascending, by its largest descending.
  const lists = db.collection<{ _id: string; v: number | number[] }>('sortedLists');
  await lists.deleteMany({});
  await lists.insertMany([
    { _id: 'p', v: [5, 1] },
    { _id: 'q', v: 3 },
    { _id: 'r', v: [2, 9] },
  ]);
  expect(ids(await lists.find({}, { sort: { v: 1 } }).toArray())).toEqual(['p', 'r', 'q']);
  expect(ids(await lists.find({}, { sort: { v: -1 } }).toArray())).toEqual(['r', 'p', 'q']);
}

/**
 * Finds with a projection, which the launcher projects batch by batch (projectionByBatch) where
 * stock projected every match at the find: the fields MongoDB returns, in every batch, whatever
 * the filter, skip and limit, and a document's fields as they are when its batch is taken (as
 * MongoDB reads them), which stock's copies made at the find did not show.
 */
async function expectProjectionsByBatch(db: mongoose.mongo.Db): Promise<void> {
  type Item = { _id: string; a: number; b: { c: number; d: string }; e: number[] };
  const items = db.collection<Item>('projected');
  await items.deleteMany({});
  const range = [0, 1, 2, 3, 4];
  await items.insertMany(range.map((i) => ({ _id: `p${i}`, a: i, b: { c: i, d: 'x' }, e: [i] })));
  const walk = (projection: Record<string, 0 | 1>) =>
    items.find({}, { sort: { _id: 1 }, batchSize: 2, projection }).toArray();

  expect(await walk({ a: 1 })).toEqual(range.map((i) => ({ _id: `p${i}`, a: i })));
  expect(await walk({ _id: 0, 'b.c': 1 })).toEqual(range.map((i) => ({ b: { c: i } })));
  expect(await walk({ b: 0, e: 0 })).toEqual(range.map((i) => ({ _id: `p${i}`, a: i })));
  // Without a batch size (one batch), as stock.
  expect(
    await items.find({ a: { $gte: 3 } }, { sort: { _id: 1 }, projection: { e: 1 } }).toArray(),
  ).toEqual([
    { _id: 'p3', e: [3] },
    { _id: 'p4', e: [4] },
  ]);
  // By a list of ids (the launcher's idInPositions), with skip and limit across batches.
  expect(
    await items
      .find(
        { _id: { $in: ['p4', 'p0', 'p2', 'p3'] } },
        { sort: { _id: -1 }, skip: 1, limit: 3, batchSize: 1, projection: { 'b.d': 1 } },
      )
      .toArray(),
  ).toEqual(['p3', 'p2', 'p0'].map((_id) => ({ _id, b: { d: 'x' } })));
  // Exactly one batch's worth, and a cursor closed partway.
  expect(
    await items
      .find({ a: { $lt: 2 } }, { sort: { _id: 1 }, batchSize: 2, projection: { a: 1 } })
      .toArray(),
  ).toEqual([
    { _id: 'p0', a: 0 },
    { _id: 'p1', a: 1 },
  ]);
  const partway = items.find({}, { sort: { _id: 1 }, batchSize: 2, projection: { a: 1 } });
  expect(await partway.next()).toEqual({ _id: 'p0', a: 0 });
  await partway.close();
  // A getMore asking for a negative number of documents is refused, and the cursor stays usable.
  const opened = await db.command({
    find: 'projected',
    filter: {},
    sort: { _id: 1 },
    projection: { a: 1 },
    batchSize: 1,
  });
  // Sent back as a 64-bit integer, as drivers do (decoded, it is a plain number).
  const cursorId = mongoose.mongo.Long.fromValue((opened as { cursor: { id: number } }).cursor.id);
  await expect(
    db.command({ getMore: cursorId, collection: 'projected', batchSize: -1 }),
  ).rejects.toThrow(/batch ?size/i);
  const more = await db.command({ getMore: cursorId, collection: 'projected', batchSize: 1 });
  expect((more as { cursor: { nextBatch: unknown[] } }).cursor.nextBatch).toEqual([
    { _id: 'p1', a: 1 },
  ]);
  await db.command({ killCursors: 'projected', cursors: [cursorId] });
  // A projection MongoDB refuses still fails at the find.
  await expect(walk({ b: 1, 'b.c': 1 })).rejects.toMatchObject({ code: 31249 });

  const cursor = items.find({}, { sort: { _id: 1 }, batchSize: 2, projection: { a: 1 } });
  expect([await cursor.next(), await cursor.next()]).toEqual([
    { _id: 'p0', a: 0 },
    { _id: 'p1', a: 1 },
  ]);
  await items.updateOne({ _id: 'p4' }, { $set: { a: 40 } });
  expect(await cursor.toArray()).toEqual([
    { _id: 'p2', a: 2 },
    { _id: 'p3', a: 3 },
    { _id: 'p4', a: 40 },
  ]);
}

describe('local engines', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lead-scoring-engines-test-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes the start-up smoke check on the run engine and says which engine it is', async () => {
    const result = await runMongoSmokeCheck(`${engineUrls().mongo}/smoke_check_test`);

    expect(result.engine).toMatch(/^(mongod|mongo-java-server)/);
    expect(result.checks).toEqual([
      'connect',
      'buildInfo',
      'unique index',
      'findOneAndUpdate upsert',
      'bulkWrite',
      'aggregation',
    ]);
  });

  it('names the failed step when the engine cannot be reached', async () => {
    await expect(
      runMongoSmokeCheck('mongodb://127.0.0.1:1/none', { timeoutMs: 500 }),
    ).rejects.toThrow(/MongoDB smoke check failed at "connect"/);
  });

  it('keeps MongoDB data across a restart when persistent, and stops the engine by its pid', async () => {
    const persistentDir = join(dataDir, 'mongo');
    const first = await startMongoEngine({ engine: 'auto', persistentDir, env: process.env });
    const connection = await mongoose.createConnection(`${first.uri}/persist`).asPromise();
    await connection.db!.collection('leads').insertOne({ leadId: 'L-1', name: 'Ada' });
    await connection.close();
    await first.stop();
    expect(await waitForDeath(first.pid)).toBe(true);

    const second = await startMongoEngine({ engine: 'auto', persistentDir, env: process.env });
    try {
      const reopened = await mongoose.createConnection(`${second.uri}/persist`).asPromise();
      expect(await reopened.db!.collection('leads').findOne({ leadId: 'L-1' })).toMatchObject({
        name: 'Ada',
      });
      await reopened.close();
    } finally {
      await second.stop();
    }
  });

  it('answers a filter naming `_id` and more from that one document, lists of ids, sorts and projections as MongoDB does, in memory and on H2 (reopened too)', async () => {
    const memory = await mongoose.createConnection(`${engineUrls().mongo}/id_first`).asPromise();
    try {
      await expectIdFirstFilters(memory.db!);
      await expectIdListsAndSorts(memory.db!);
      await expectProjectionsByBatch(memory.db!);
    } finally {
      await memory.close();
    }

    const persistentDir = join(dataDir, 'mongo-id-first');
    for (const round of ['new store', 'reopened store']) {
      const engine = await startMongoEngine({ engine: 'java', persistentDir, env: process.env });
      const connection = await mongoose.createConnection(`${engine.uri}/id_first`).asPromise();
      try {
        if (round === 'reopened store')
          expect(await connection.db!.collection('idFirst').countDocuments()).toBe(3);
        await expectIdFirstFilters(connection.db!);
        await expectIdListsAndSorts(connection.db!);
        await expectProjectionsByBatch(connection.db!);
      } finally {
        await connection.close();
        await engine.stop();
      }
    }
  });

  it('keeps Redis data across a restart with AOF when persistent', async () => {
    const persistentDir = join(dataDir, 'redis');
    const first = await startRedisEngine({ persistentDir });
    const client = new Redis(first.uri);
    await client.set('answer', '42');
    client.disconnect();
    await first.stop();
    expect(await waitForDeath(first.pid)).toBe(true);

    const second = await startRedisEngine({ persistentDir });
    const reopened = new Redis(second.uri);
    try {
      expect(await reopened.get('answer')).toBe('42');
    } finally {
      reopened.disconnect();
      await second.stop();
    }
  });

  it('mongo-java-server exits (code 3) when its H2 store closes, and starts again on the same port and file', async () => {
    const persistentDir = join(dataDir, 'mongo-broken');
    const first = await startMongoEngine({ engine: 'java', persistentDir, env: process.env });
    const connection = await mongoose.createConnection(`${first.uri}/broken`).asPromise();
    try {
      await connection.db!.collection('leads').insertOne({ leadId: 'L-1', name: 'Ada' });
      // The engine saves every write before answering it; the pause only lets the store settle.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Documents nested this deep make H2's background writer overflow its stack and close the
      // store (see engine-recovery.e2e-spec.ts for why several depths); the engine must not stay
      // up refusing every write.
      for (const depth of [1_000, 700, 500]) {
        let attributes: Record<string, unknown> = {};
        for (let i = 0; i < depth; i++) attributes = { x: attributes };
        await connection
          .db!.collection('leads')
          .insertOne({ leadId: `L-DEEP-${depth}`, attributes })
          .catch(() => undefined);
      }
    } finally {
      await connection.close(true).catch(() => undefined);
    }
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      first.exited,
      new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 10_000))),
    ]);
    clearTimeout(timer);
    expect(exit).toEqual({ code: 3, signal: null });

    // As its supervisor does after a code 3: the restart checks the whole store, since a deep
    // document the failing writer managed to commit could not be loaded by a fresh engine.
    const second = await startMongoEngine({
      engine: 'java',
      persistentDir,
      env: process.env,
      port: first.port,
      checkStore: true,
    });
    try {
      expect(second.uri).toBe(first.uri);
      const reopened = await mongoose.createConnection(`${second.uri}/broken`).asPromise();
      expect(await reopened.db!.collection('leads').findOne({ leadId: 'L-1' })).toMatchObject({
        name: 'Ada',
      });
      expect(await reopened.db!.collection('leads').countDocuments({ leadId: /^L-DEEP/ })).toBe(0);
      await reopened.db!.collection('leads').insertOne({ leadId: 'L-2' });
      await reopened.close();
    } finally {
      await second.stop();
    }
  });

  it.each([
    ['that cannot be opened as it is', 300, 'attic', false, false],
    ['after its store closed (a restart checks the whole store)', 1_000, 'leads', true, true],
  ])(
    'mongo-java-server removes documents nested too deep to load from a store %s, saves them aside and keeps the rest',
    async (_case, depth, collection, uniqueIndex, checkStore) => {
      const persistentDir = join(dataDir, `mongo-too-deep-${depth}`);
      await writeTooDeepStore(persistentDir, depth, collection, uniqueIndex);

      const { lines, logger } = recordingLogger();
      const engine = await startMongoRecovering(
        { engine: 'java', persistentDir, env: process.env, checkStore },
        logger,
      );
      try {
        const file = mongoJavaServerFile(persistentDir);
        const savedTo = engine.storeRepair?.removed?.savedTo;
        expect(engine.storeRepair).toEqual({
          removed: { count: 1, namespaces: [`deep.${collection}`], savedTo: expect.any(String) },
        });
        expect(savedTo?.startsWith(`${file}.removed-`)).toBe(true);
        expect(readFileSync(savedTo!, 'utf8')).toMatch(
          new RegExp(`^deep\\.${collection} .*"leadId" : "L-DEEP"`, 'm'),
        );
        expect(lines).toEqual([
          {
            level: 'error',
            entry: expect.objectContaining({
              msg: expect.stringMatching(
                /removed 1 document\(s\) .*saved in .*everything else is kept/,
              ),
              savedTo,
            }),
          },
        ]);

        const reopened = await mongoose.createConnection(`${engine.uri}/deep`).asPromise();
        try {
          const leads = reopened.db!.collection('leads');
          const deep = reopened.db!.collection(collection);
          expect(await leads.findOne({}, { projection: { _id: 0 } })).toEqual({
            leadId: 'L-1',
            name: 'Ada',
          });
          expect(await deep.countDocuments({ leadId: 'L-DEEP' })).toBe(0);
          // The indexes followed: the removed document's key is free again.
          await deep.insertOne({ leadId: 'L-DEEP' });
        } finally {
          await reopened.close();
        }
      } finally {
        await engine.stop();
      }
    },
  );

  it('mongo-java-server: an H2 file that cannot be opened at all is moved aside, loudly, and a fresh store starts', async () => {
    const persistentDir = join(dataDir, 'mongo-corrupt');
    const file = mongoJavaServerFile(persistentDir);
    mkdirSync(persistentDir, { recursive: true });
    writeFileSync(file, 'H:2,this is not an H2 file'.repeat(200));

    const { lines, logger } = recordingLogger();
    const engine = await startMongoRecovering(
      { engine: 'java', persistentDir, env: process.env },
      logger,
    );
    try {
      const movedAside = readdirSync(persistentDir).filter((name) => name.includes('.broken-'));
      expect(movedAside).toHaveLength(1);
      const movedTo = join(persistentDir, movedAside[0]);
      expect(readFileSync(movedTo, 'utf8')).toBe('H:2,this is not an H2 file'.repeat(200));
      expect(lines).toEqual([
        {
          level: 'error',
          entry: expect.objectContaining({
            msg: expect.stringMatching(/^LOCAL MONGODB DATA MOVED ASIDE: .* EMPTY store/),
            file,
            movedTo,
            error: expect.stringMatching(/\S/),
          }),
        },
      ]);
      const fresh = await mongoose.createConnection(`${engine.uri}/fresh`).asPromise();
      try {
        await fresh.db!.collection('leads').insertOne({ leadId: 'L-1' });
        expect(await fresh.db!.collection('leads').countDocuments()).toBe(1);
      } finally {
        await fresh.close();
      }
    } finally {
      await engine.stop();
    }
  });

  it('mongo-java-server: an H2 file in use by another engine is left alone (not moved aside)', async () => {
    const persistentDir = join(dataDir, 'mongo-locked');
    const owner = await startMongoEngine({ engine: 'java', persistentDir, env: process.env });
    try {
      const { lines, logger } = recordingLogger();
      await expect(
        startMongoRecovering({ engine: 'java', persistentDir, env: process.env }, logger),
      ).rejects.toThrow(/in use by another engine[^]*FATAL cannot access store: .*locked/);
      expect(lines).toEqual([]);
      expect(readdirSync(persistentDir)).toEqual(['mongo.mv.db']);
      expect(existsSync(mongoJavaServerFile(persistentDir))).toBe(true);
    } finally {
      await owner.stop();
    }
  });

  it('restarts nothing once supervision is stopped (shutdown), and stop() still stops every engine', async () => {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: undefined,
      REDIS_URL: undefined,
      LOCAL_ENGINE_WATCH_INTERVAL_MS: '100',
    });
    const engines = await startLocalEngines({
      config,
      persistent: false,
      env: process.env,
      supervise: true,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const mongoPid = engines.mongo!.pid;
    const redisPid = engines.redis!.pid!;
    try {
      engines.stopSupervising();
      process.kill(redisPid, 'SIGKILL');
      expect(await waitForDeath(redisPid)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(engines.redis!.pid).toBe(redisPid);
      expect(isAlive(mongoPid)).toBe(true);
    } finally {
      await engines.stop();
    }
    expect(await waitForDeath(mongoPid)).toBe(true);
  });

  it('stops an engine whose parent died by SIGKILL (no orphans)', async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    const engine = spawn('sleep', ['60'], { stdio: 'ignore' });
    guardChild(engine.pid!, parent.pid);

    parent.kill('SIGKILL');
    await once(parent, 'exit');

    expect(await waitForDeath(engine.pid)).toBe(true);
  });
});
