import mongoose, { mongo, Types } from 'mongoose';

import { decodedFind } from '@/common/tenancy/decoded-find.util';
import { engineUrls, newTestNamespace } from '@test/utils/test-app';

/** Documents with every kind of value the app stores (and a few it might). */
function samples(): Record<string, unknown>[] {
  const tenantId = new Types.ObjectId();
  return Array.from({ length: 7 }, (_, i) => ({
    _id: new Types.ObjectId(),
    tenantId,
    leadId: `L-${i}`,
    name: i % 2 === 0 ? `Zoë Ångström ${i}` : `lead ${i}`,
    score: i * 12.5,
    count: i,
    big: 2 ** 40 + i,
    // A real 64-bit integer (promoted to a number, as the driver does), a decimal and bytes.
    long: mongo.Long.fromNumber(2 ** 40 + i),
    price: mongo.Decimal128.fromString(`${i}.10`),
    bytes: new mongo.Binary(Buffer.from([i, 255, 0])),
    flag: i % 3 === 0,
    missing: null,
    at: new Date(Date.UTC(2026, 11, 5, 4, i)),
    attributes: { industry: 'retail', employees: 10 * i, tags: ['a', 'b', String(i)] },
    trendPoints: Array.from({ length: i }, (_, k) => ({ at: new Date(k * 86_400_000), score: k })),
    override: i === 3 ? { score: 90, setAt: new Date(0), expiresAt: null } : undefined,
  }));
}

/**
 * `decodedFind` reads through the driver with `raw: true` and decodes each document itself: it must
 * hand on exactly what the driver would have, on a connection with command monitoring on (as the
 * app's is), across several batches, with projections and sorts.
 */
describe('decodedFind (one decode per document)', () => {
  const namespace = newTestNamespace();
  let connection: mongoose.Connection;
  let collection: mongo.Collection;
  const events: mongo.CommandSucceededEvent[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(`${engineUrls().mongo}/${namespace.database}`, { monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandSucceeded', (event) => events.push(event));
    collection = connection.db!.collection('decoded');
    await collection.insertMany(samples());
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('gives the driver’s own documents, over several batches', async () => {
    const options = { sort: { _id: 1 as const }, batchSize: 2 };
    const expected = await collection.find({}, options).toArray();
    events.length = 0;
    const docs = await decodedFind<Record<string, unknown>>(collection, {}, options).toArray();

    expect(docs).toHaveLength(7);
    expect(docs).toEqual(expected);
    expect(docs[0]._id).toBeInstanceOf(Types.ObjectId);
    expect(docs[0].at).toBeInstanceOf(Date);
    expect(typeof docs[1].big).toBe('number');
    expect(docs[1].long).toBe(2 ** 40 + 1);
    expect(docs[1].price).toBeInstanceOf(mongo.Decimal128);
    expect(String(docs[1].price)).toBe('1.10');
    expect(docs[1].bytes).toBeInstanceOf(mongo.Binary);
    // Four replies (2 + 2 + 2 + 1), each kept as bytes in its monitoring event.
    const batches = events
      .filter((event) => ['find', 'getMore'].includes(event.commandName))
      .map((event) => {
        const cursor = (event.reply as { cursor: Record<string, unknown[]> }).cursor;
        return cursor.firstBatch ?? cursor.nextBatch;
      });
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 2, 1]);
    expect(batches.flat().every((doc) => doc instanceof Uint8Array)).toBe(true);
  });

  it('keeps projections, filters and the Mongoose wrapper of a collection', async () => {
    const wrapped = connection.collection('decoded');
    const filter = { count: { $gte: 3 } };
    const projection = { leadId: 1, attributes: 1 };
    const expected = await collection.find(filter, { projection, sort: { count: -1 } }).toArray();
    const docs = await decodedFind(wrapped, filter, {
      projection,
      sort: { count: -1 },
    }).toArray();

    expect(docs).toEqual(expected);
    expect(docs.map((doc) => Object.keys(doc as object).sort())).toEqual(
      Array.from({ length: 4 }, () => ['_id', 'attributes', 'leadId']),
    );
  });

  it('answers an empty list when nothing matches, and closes mid-walk', async () => {
    expect(await decodedFind(collection, { leadId: 'none' }).toArray()).toEqual([]);
    const cursor = decodedFind<{ leadId: string }>(collection, {}, { batchSize: 2 });
    const first = await cursor.next();
    expect(first?.leadId).toMatch(/^L-/);
    await expect(cursor.close()).resolves.toBeUndefined();
  });
});
