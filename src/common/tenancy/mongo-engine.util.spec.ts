import { describeMongoEngine, mongoEngineKind } from './mongo-engine.util';

/** buildInfo as each engine answers it (the fields that tell them apart). */
const MONGOD = { version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188' };
const JAVA_SERVER = { version: '4.4.0', maxBsonObjectSize: 16_777_216 };
const FERRETDB = { version: '7.0.42', ferretdb: { version: 'v1.24.0' } };

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
