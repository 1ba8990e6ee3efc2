import type { mongo } from 'mongoose';

/** The MongoDB-compatible engines the project runs on (README "Local engines"). */
export type MongoEngineKind = 'mongod' | 'mongo-java-server' | 'ferretdb';

/**
 * Which engine answered `buildInfo`: FerretDB names itself, a real `mongod` gives its git
 * version, mongo-java-server gives neither (it only reports the version it imitates).
 */
export function mongoEngineKind(buildInfo: Record<string, unknown>): MongoEngineKind {
  if (typeof buildInfo.ferretdb === 'object' && buildInfo.ferretdb !== null) return 'ferretdb';
  if (typeof buildInfo.gitVersion === 'string') return 'mongod';
  return 'mongo-java-server';
}

/** The engine as logs and `/health` name it, e.g. "mongod 7.0.14". */
export function describeMongoEngine(buildInfo: Record<string, unknown>): string {
  const version = typeof buildInfo.version === 'string' ? buildInfo.version : 'unknown version';
  switch (mongoEngineKind(buildInfo)) {
    case 'ferretdb':
      return `FerretDB (reports ${version})`;
    case 'mongod':
      return `mongod ${version}`;
    case 'mongo-java-server':
      return `mongo-java-server (reports ${version})`;
  }
}

const kinds = new WeakMap<mongo.Db, Promise<MongoEngineKind>>();

/** The engine behind a database handle, asked once per handle (`buildInfo`). */
export function mongoEngineOf(db: mongo.Db): Promise<MongoEngineKind> {
  let kind = kinds.get(db);
  if (!kind) {
    kind = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => mongoEngineKind(info));
    // A failed ask (the engine unreachable) is asked again by the next caller.
    kind.catch(() => kinds.delete(db));
    kinds.set(db, kind);
  }
  return kind;
}

/**
 * Whether a projection makes a long walk dearer than reading whole documents, on this engine.
 * mongo-java-server builds a find's whole result before its first batch (filter, sort, then the
 * projection over every match) and holds it until the cursor ends: projected, that is a fresh copy
 * of every document of the walk (100,000 for a tenant's rescoring), promoted into the old
 * generation by the time the walk ends and then collected by full collections of the heap, while
 * unprojected it is a list of references to the stored documents. MongoDB projects batch by batch
 * as the cursor advances, where a projection saves bytes on the wire and decoding in the app.
 * Measured (BENCH_ONLY=batch, 100,000 leads, three pairs of interleaved runs): the engine's CPU per
 * 1,000 rescored leads, 131–206 ms projected against 86–128 ms whole; the app decodes ~6 ms more.
 */
export async function projectionCostsWalks(db: mongo.Db): Promise<boolean> {
  return (await mongoEngineOf(db)) === 'mongo-java-server';
}
