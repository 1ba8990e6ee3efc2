import { mongo } from 'mongoose';

import { describeCommand } from './describe-command.util';

const TENANT = new mongo.ObjectId('65f0c1a2b3c4d5e6f7a8b9c0');
const LEAD = new mongo.ObjectId('65f0c1a2b3c4d5e6f7a8b9c1');
const EMAIL = 'ann.lee@example.com';

function expectNoValues(description: object): void {
  const text = JSON.stringify(description);
  for (const secret of [
    TENANT.toHexString(),
    LEAD.toHexString(),
    EMAIL,
    'ann',
    '4242',
    'QUALIFIED',
  ])
    expect(text).not.toContain(secret);
}

/** Command documents as the driver's commandStarted event carries them (`$db` and session included). */
const session = { lsid: { id: new mongo.UUID() }, $db: 'lead_scoring' };

describe('describeCommand', () => {
  it('find: the collection and the shape of `filter`', () => {
    const sut = describeCommand('find', {
      find: 'leads',
      filter: { tenantId: TENANT, status: 'QUALIFIED', score: { $gte: 4242 } },
      sort: { score: -1, _id: 1 },
      limit: 20,
      ...session,
    });

    expect(sut).toEqual({
      collection: 'leads',
      filter: '{tenantId: <ObjectId>, status: <string>, score: {$gte: <number>}}',
    });
    expectNoValues(sut);
  });

  it('count, distinct and findAndModify: the shape of `query`', () => {
    expect(
      describeCommand('count', { count: 'leads', query: { tenantId: TENANT }, ...session }),
    ).toEqual({ collection: 'leads', filter: '{tenantId: <ObjectId>}' });
    expect(
      describeCommand('distinct', { distinct: 'leads', key: 'ownerId', query: { email: EMAIL } }),
    ).toEqual({ collection: 'leads', filter: '{email: <string>}' });
    const findAndModify = describeCommand('findAndModify', {
      findAndModify: 'users',
      query: { email: EMAIL, tenantId: TENANT },
      update: { $set: { name: 'ann' } },
      new: true,
    });
    expect(findAndModify).toEqual({
      collection: 'users',
      filter: '{email: <string>, tenantId: <ObjectId>}',
    });
    expectNoValues(findAndModify);
  });

  it('aggregate: the first stage`s $match and the stage names', () => {
    const sut = describeCommand('aggregate', {
      aggregate: 'leadScores',
      pipeline: [
        { $match: { tenantId: TENANT, ownerId: { $in: [EMAIL, EMAIL] } } },
        { $sort: { score: -1 } },
        { $limit: 4242 },
      ],
      cursor: {},
      ...session,
    });

    expect(sut).toEqual({
      collection: 'leadScores',
      filter: '{tenantId: <ObjectId>, ownerId: {$in: [<string> ×2]}}',
      stages: '$match > $sort > $limit',
    });
    expectNoValues(sut);
  });

  it('aggregate without a leading $match, and on a whole database: no filter, no collection', () => {
    expect(
      describeCommand('aggregate', {
        aggregate: 1,
        pipeline: [{ $currentOp: {} }, { $match: { op: 'query' } }],
      }),
    ).toEqual({ collection: undefined, stages: '$currentOp > $match' });
  });

  it('update and delete: the distinct shapes of their statements` `q`, and how many statements', () => {
    const update = describeCommand('update', {
      update: 'leadScores',
      updates: [
        { q: { _id: LEAD, tenantId: TENANT }, u: { $set: { score: 4242 } }, upsert: true },
        { q: { _id: TENANT, tenantId: LEAD }, u: { $set: { score: 1 } }, upsert: true },
      ],
      ordered: false,
      ...session,
    });
    expect(update).toEqual({
      collection: 'leadScores',
      filter: '{_id: <ObjectId>, tenantId: <ObjectId>}',
      statements: 2,
    });
    expectNoValues(update);

    const remove = describeCommand('delete', {
      delete: 'sessions',
      deletes: [
        { q: { userId: LEAD }, limit: 0 },
        { q: { email: EMAIL }, limit: 1 },
        { q: { userId: TENANT }, limit: 0 },
      ],
    });
    expect(remove).toEqual({
      collection: 'sessions',
      filter: '{userId: <ObjectId>} | {email: <string>}',
      statements: 3,
    });
    expectNoValues(remove);
  });

  it('a write of many different statements lists three shapes', () => {
    const updates = ['a', 'b', 'c', 'd'].map((field) => ({ q: { [field]: EMAIL }, u: {} }));

    expect(describeCommand('update', { update: 'leads', updates })).toEqual({
      collection: 'leads',
      filter: '{a: <string>} | {b: <string>} | {c: <string>} | …',
      statements: 4,
    });
  });

  it('insert: no filter, the number of documents', () => {
    const sut = describeCommand('insert', {
      insert: 'interactions',
      documents: [
        { tenantId: TENANT, email: EMAIL },
        { tenantId: TENANT, email: EMAIL },
      ],
      ordered: true,
    });

    expect(sut).toEqual({ collection: 'interactions', documents: 2 });
    expectNoValues(sut);
  });

  it('getMore: the collection from `collection` (its first value is the cursor id)', () => {
    expect(
      describeCommand('getMore', {
        getMore: mongo.Long.fromNumber(4242),
        collection: 'leads',
        batchSize: 1000,
      }),
    ).toEqual({ collection: 'leads' });
  });

  it('a client bulkWrite: the collection of its first namespace and its operations` filters', () => {
    const sut = describeCommand('bulkWrite', {
      bulkWrite: 1,
      ops: [
        { update: 0, filter: { _id: LEAD }, updateMods: { $set: { email: EMAIL } } },
        { insert: 0, document: { email: EMAIL } },
      ],
      nsInfo: [{ ns: 'lead_scoring.leads' }],
    });

    expect(sut).toEqual({ collection: 'leads', filter: '{_id: <ObjectId>}', statements: 2 });
    expectNoValues(sut);
  });

  it('another command: its collection only', () => {
    expect(describeCommand('createIndexes', { createIndexes: 'leads', indexes: [] })).toEqual({
      collection: 'leads',
    });
    expect(describeCommand('listCollections', { listCollections: 1, filter: {} })).toEqual({
      collection: undefined,
    });
  });

  it('a find without a filter has none to show', () => {
    expect(describeCommand('find', { find: 'leads' })).toEqual({ collection: 'leads' });
  });
});
