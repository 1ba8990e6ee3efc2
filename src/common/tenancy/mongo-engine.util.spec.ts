import type { mongo } from 'mongoose';

import {
  describeMongoEngine,
  mongoEngineKind,
  mongoEngineOf,
  projectionCostsWalks,
} from './mongo-engine.util';

/** buildInfo as each engine answers it (the fields that tell them apart). */
const MONGOD = { version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188' };
const JAVA_SERVER = { version: '4.4.0', maxBsonObjectSize: 16_777_216 };
const FERRETDB = { version: '7.0.42', ferretdb: { version: 'v1.24.0' } };

/** A database handle whose `buildInfo` answers the given replies in turn (an Error is thrown). */
function fakeDb(...replies: (Record<string, unknown> | Error)[]): {
  db: mongo.Db;
  asked: () => number;
} {
  let asked = 0;
  const db = {
    admin: () => ({
      command: (command: Record<string, unknown>) => {
        expect(command).toEqual({ buildInfo: 1 });
        const reply = replies[Math.min(asked++, replies.length - 1)];
        return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
      },
    }),
  } as unknown as mongo.Db;
  return { db, asked: () => asked };
}

describe('mongoEngineKind / describeMongoEngine', () => {
  it('tells mongod, mongo-java-server and FerretDB apart by their buildInfo', () => {
    expect(mongoEngineKind(MONGOD)).toBe('mongod');
    expect(mongoEngineKind(JAVA_SERVER)).toBe('mongo-java-server');
    expect(mongoEngineKind(FERRETDB)).toBe('ferretdb');
    expect(describeMongoEngine(MONGOD)).toBe('mongod 7.0.14');
    expect(describeMongoEngine(JAVA_SERVER)).toBe('mongo-java-server (reports 4.4.0)');
    expect(describeMongoEngine(FERRETDB)).toBe('FerretDB (reports 7.0.42)');
    expect(describeMongoEngine({})).toBe('mongo-java-server (reports unknown version)');
  });
});

describe('mongoEngineOf / projectionCostsWalks', () => {
  it('asks a handle once, and only mongo-java-server reads walks whole', async () => {
    const javaServer = fakeDb(JAVA_SERVER);
    expect(await projectionCostsWalks(javaServer.db)).toBe(true);
    expect(await mongoEngineOf(javaServer.db)).toBe('mongo-java-server');
    expect(javaServer.asked()).toBe(1);

    expect(await projectionCostsWalks(fakeDb(MONGOD).db)).toBe(false);
    expect(await projectionCostsWalks(fakeDb(FERRETDB).db)).toBe(false);
  });

  it('asks again after a failed ask, not for ever the failure', async () => {
    const flaky = fakeDb(new Error('connection reset'), MONGOD);
    await expect(mongoEngineOf(flaky.db)).rejects.toThrow('connection reset');
    expect(await mongoEngineOf(flaky.db)).toBe('mongod');
    expect(await mongoEngineOf(flaky.db)).toBe('mongod');
    expect(flaky.asked()).toBe(2);
  });
});
