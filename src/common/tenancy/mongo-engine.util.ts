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
