// Shards the tenant-scoped collections of the app's database on { tenantId: 1, _id: 1 }.
//
//   mongosh "$MONGOS_URI" scripts/shard-collections.js
//
// Run it against a mongos (a sharded cluster's router), as a user with the clusterManager role (or
// root), before or after the app has created its collections. Idempotent: what is already sharded
// is reported and left alone. Prints what it did, collection by collection, and a summary.
//
// Environment (mongosh passes the shell's environment through):
//   DB_NAME        the app's database (default lead_scoring; the database in MONGODB_URI)
//   DRY_RUN=1      print the plan, change nothing
//   ALLOW_BLOCKED  comma-separated names from BLOCKED below to try anyway, once the app change
//                  named there is deployed (the index checks below still apply)
//
// Why { tenantId: 1, _id: 1 }: every read and write of tenant data goes through TenantRepository
// (src/common/tenancy/tenant-repository.ts), which forces `tenantId` into the filter, and writes by
// id filter on exactly { _id, tenantId }. With tenantId first, mongos sends a tenant's queries only
// to the shards holding that tenant's chunks (one shard for most tenants), and _id second lets a
// large tenant's data split into many chunks instead of one unsplittable (jumbo) chunk.
//
// What MongoDB requires, and how this script checks it:
// - A collection with data needs an index that starts with the shard key: created first here (as
//   unique where the app declares { tenantId: 1, _id: 1 } unique, addTenantKeyIndex, so that the
//   app's own index build finds the same index and does not fail).
// - Every unique index other than _id must start with the shard key, or shardCollection fails; and
//   once a collection is sharded, the app's index build could no longer create such an index. So a
//   collection whose schema declares such an index is in BLOCKED (with the app change that lifts
//   it), and any collection that has one in the database is skipped with the index named.
// - An upsert into a sharded collection must name the full shard key in its filter.
//
// leads, leadScores and interactions had a unique natural-key index ({tenantId, leadId},
// {tenantId, leadRef}, {tenantId, idempotencyKey}); the app now declares them non-unique, as each
// document's _id is derived from (or, for a score, equal to) that key, so the unique
// { tenantId, _id } index keeps one document per key. A database built by an older app version
// still has them unique: the app's index build does not change an existing index's options (its
// createIndex fails with an options conflict, which Mongoose swallows). Such a collection is
// skipped with the index named and the commands that make it non-unique: collMod with
// unique: false (in place, where the server accepts it), or dropIndex then createIndex (the app
// also builds it at its next start). mlModelParams chunks are now upserted by { _id, tenantId }.

/* global db, sh, print, quit, process */

const SHARD_KEY = { tenantId: 1, _id: 1 };

// The collections, from the Mongoose schemas (`@Schema({ collection })` and their `index(...)`
// calls): grep -rn "SchemaFactory.createForClass\|collection:" src --include=*.ts
// Read on 2026-12-03; re-check when a schema is added or its indexes change.
// `uniqueKeyIndex`: the schema declares { tenantId: 1, _id: 1 } unique (addTenantKeyIndex).
// `formerlyUnique`: an index older app versions built unique (now declared non-unique).

// Tenant-scoped (a required `tenantId`), no unique index that conflicts, upserts by { _id, tenantId }.
const SHARDED = [
  // The largest collections. Each _id is derived from the natural key that used to have a unique
  // index: a second write of the same key meets the same { tenantId, _id } (one chunk, one shard).
  {
    name: 'leads',
    uniqueKeyIndex: true,
    schema: 'src/leads/schemas/lead.schema.ts',
    formerlyUnique: { tenantId: 1, leadId: 1 },
  },
  {
    name: 'leadScores',
    uniqueKeyIndex: true,
    schema: 'src/scoring/schemas/lead-score.schema.ts',
    formerlyUnique: { tenantId: 1, leadRef: 1 },
  },
  {
    name: 'interactions',
    uniqueKeyIndex: true,
    schema: 'src/leads/schemas/interaction.schema.ts',
    formerlyUnique: { tenantId: 1, idempotencyKey: 1 },
  },
  {
    name: 'mlModelParams',
    uniqueKeyIndex: true,
    schema: 'src/ml-models/schemas/ml-model.schema.ts',
  },
  { name: 'leadInsights', uniqueKeyIndex: true, schema: 'src/ai/schemas/lead-insight.schema.ts' },
  {
    name: 'trainingJobs',
    uniqueKeyIndex: true,
    schema: 'src/training/schemas/training-job.schema.ts',
  },
  {
    name: 'trainingSettings',
    uniqueKeyIndex: true,
    schema: 'src/training/schemas/training-job.schema.ts',
  },
  { name: 'feedback', uniqueKeyIndex: true, schema: 'src/feedback/schemas/rep-feedback.schema.ts' },
  { name: 'outcomes', uniqueKeyIndex: true, schema: 'src/feedback/schemas/outcome.schema.ts' },
  // tenantId is null for events naming no known tenant (a login with an unknown email): those
  // share the lowest chunk range, which is fine for a handful of documents.
  { name: 'auditLog', uniqueKeyIndex: false, schema: 'src/audit/schemas/audit-event.schema.ts' },
  {
    name: 'interactionReceipts',
    uniqueKeyIndex: false,
    schema: 'src/leads/schemas/interaction.schema.ts',
  },
  { name: 'leadImports', uniqueKeyIndex: false, schema: 'src/leads/import/lead-import.schema.ts' },
  {
    name: 'modelDeployments',
    uniqueKeyIndex: true,
    schema: 'src/ml-models/schemas/ml-model.schema.ts',
  },
  {
    name: 'driftReports',
    uniqueKeyIndex: true,
    schema: 'src/drift/schemas/drift-report.schema.ts',
  },
  { name: 'driftLatest', uniqueKeyIndex: true, schema: 'src/drift/schemas/drift-report.schema.ts' },
  {
    name: 'scoringJobs',
    uniqueKeyIndex: false,
    schema: 'src/scoring/schemas/scoring-job.schema.ts',
  },
  {
    name: 'scoreHistory',
    uniqueKeyIndex: false,
    schema: 'src/scoring/schemas/score-history.schema.ts',
  },
  { name: 'abTests', uniqueKeyIndex: true, schema: 'src/lifecycle/ab-tests/ab-test.schema.ts' },
  {
    name: 'modelLifecycle',
    uniqueKeyIndex: true,
    schema: 'src/lifecycle/schemas/model-lifecycle.schema.ts',
  },
  {
    name: 'modelDecisions',
    uniqueKeyIndex: true,
    schema: 'src/lifecycle/schemas/model-lifecycle.schema.ts',
  },
  {
    name: 'datasetVersions',
    uniqueKeyIndex: true,
    schema: 'src/versions/schemas/dataset-version.schema.ts',
  },
  {
    name: 'datasetChunks',
    uniqueKeyIndex: true,
    schema: 'src/versions/schemas/dataset-version.schema.ts',
  },
  {
    name: 'datasetBuilds',
    uniqueKeyIndex: true,
    schema: 'src/versions/schemas/dataset-build.schema.ts',
  },
  {
    name: 'webhookSubscriptions',
    uniqueKeyIndex: true,
    schema: 'src/webhooks/schemas/webhook-subscription.schema.ts',
  },
  {
    name: 'webhookDeliveries',
    uniqueKeyIndex: true,
    schema: 'src/webhooks/schemas/webhook-delivery.schema.ts',
  },
];

// Tenant-scoped, but the app as it stands cannot run on them sharded on { tenantId, _id }.
// Left unsharded (on the database's primary shard) until the app change named in `fix` is made.
const BLOCKED = [
  {
    name: 'mlModels',
    uniqueKeyIndex: true,
    why: 'unique index { tenantId: 1, version: 1 } (src/ml-models/schemas/ml-model.schema.ts:116) does not start with the shard key',
    fix: 'a few documents per tenant (parameters live in mlModelParams): leaving it unsharded is fine; to shard it, make that index non-unique (versions come from the per-tenant counter in modelDeployments)',
  },
  {
    name: 'scoringConfigs',
    uniqueKeyIndex: false,
    why: 'unique index { tenantId: 1, version: -1 } (src/scoring/schemas/scoring-config.schema.ts:38) does not start with the shard key',
    fix: 'one document per saved configuration: leaving it unsharded is fine; to shard it, derive _id from (tenant, version) and make that index non-unique',
  },
];

// Not tenant-scoped, or looked up across tenants: stay unsharded on the primary shard (all small).
const UNSHARDED = [
  { name: 'tenants', why: 'global: one document per tenant, no tenantId' },
  {
    name: 'users',
    why: 'login looks users up by email across tenants; unique { email: 1 } (src/auth/schemas/user.schema.ts:38)',
  },
  {
    name: 'refreshTokens',
    why: 'looked up by token hash without a tenant; unique { tokenHash: 1 } (src/auth/schemas/refresh-token.schema.ts:39); TTL-bounded',
  },
  {
    name: 'aiSettings',
    why: 'one document per tenant whose _id is the tenant id; no tenantId field',
  },
  {
    name: 'leadImportRows',
    why: 'transient staging rows, deleted when the import ends; unique { importId: 1, row: 1 } (src/leads/import/lead-import.schema.ts:91)',
  },
  {
    name: 'scoreOverrideExpiries',
    why: 'when each timed score override lapses, across tenants, for the expiry sweep (src/scoring/schemas/score-override-expiry.schema.ts); one per timed override',
  },
  {
    name: 'interactionWindows',
    why: 'markers of the time windows each process is storing interactions in, across tenants (src/leads/schemas/interaction-window.schema.ts); a few per process',
  },
  {
    name: 'healthProbes',
    why: 'one document per process for health checks (src/health/write-read-checks.ts); no tenant',
  },
];

// Scratch collections the app creates and drops at start (src/local-engines/mongo-smoke-check.ts).
const IGNORED_PREFIXES = ['system.', '_smokeCheck_'];

const dbName = process.env.DB_NAME || 'lead_scoring';
const dryRun = ['1', 'true', 'yes'].includes(String(process.env.DRY_RUN || '').toLowerCase());
const allowBlocked = String(process.env.ALLOW_BLOCKED || '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

const keyFields = Object.keys(SHARD_KEY);
const sameKey = (a, b) =>
  JSON.stringify(Object.entries(a).map(([k, v]) => [k, Number(v)])) ===
  JSON.stringify(Object.entries(b).map(([k, v]) => [k, Number(v)]));
const startsWithShardKey = (key) => {
  const fields = Object.keys(key);
  return keyFields.every((field, i) => fields[i] === field && Number(key[field]) === 1);
};

const hello = db.adminCommand({ hello: 1 });
if (hello.msg !== 'isdbgrid') {
  print(
    'error: not connected to a mongos (hello.msg is not "isdbgrid"): run this against a sharded cluster\'s router',
  );
  quit(2);
}

const target = db.getSiblingDB(dbName);
const config = db.getSiblingDB('config');
const existing = new Set(target.getCollectionNames());
const summary = { sharded: [], already: [], blocked: [], skipped: [], failed: [] };

print(
  `database ${dbName}${dryRun ? ' (dry run: nothing is changed)' : ''}; shard key ${JSON.stringify(SHARD_KEY)}`,
);

if (!dryRun) {
  try {
    sh.enableSharding(dbName);
    print(`enableSharding(${dbName}): ok`);
  } catch (error) {
    print(`enableSharding(${dbName}) failed: ${error.message}`);
    quit(1);
  }
}

function shardedKey(name) {
  const entry = config.collections.findOne({ _id: `${dbName}.${name}` });
  // MongoDB 8 also tracks some unsharded collections there (unsplittable: true).
  if (!entry || entry.dropped || entry.unsplittable || !entry.key) return null;
  return entry.key;
}

function shardOne({ name, uniqueKeyIndex, formerlyUnique }) {
  const ns = `${dbName}.${name}`;
  const current = shardedKey(name);
  if (current) {
    if (sameKey(current, SHARD_KEY)) {
      print(`  ${name}: already sharded on ${JSON.stringify(current)}`);
      summary.already.push(name);
    } else {
      print(
        `  ${name}: already sharded on ${JSON.stringify(current)}, not ${JSON.stringify(SHARD_KEY)}: left as it is (see sh.reshardCollection)`,
      );
      summary.skipped.push(name);
    }
    return;
  }
  const collection = target.getCollection(name);
  if (existing.has(name)) {
    const indexes = collection.getIndexes();
    const conflicting = indexes.filter(
      (index) => index.unique && index.name !== '_id_' && !startsWithShardKey(index.key),
    );
    if (conflicting.length > 0) {
      const names = conflicting
        .map((index) => `${index.name} ${JSON.stringify(index.key)}`)
        .join(', ');
      print(`  ${name}: skipped: unique index not starting with the shard key: ${names}`);
      for (const index of conflicting) {
        if (!formerlyUnique || !sameKey(index.key, formerlyUnique)) continue;
        const coll = `db.getSiblingDB(${JSON.stringify(dbName)}).getCollection(${JSON.stringify(name)})`;
        print(
          `    ${index.name} was built unique by an older app version; the app declares it non-unique now. Make it so, then run this again:\n` +
            `      in place: db.getSiblingDB(${JSON.stringify(dbName)}).runCommand({ collMod: ${JSON.stringify(name)}, index: { name: ${JSON.stringify(index.name)}, unique: false } })\n` +
            `      or:       ${coll}.dropIndex(${JSON.stringify(index.name)}); ${coll}.createIndex(${JSON.stringify(index.key)})`,
        );
      }
      summary.skipped.push(name);
      return;
    }
    const supporting = indexes.some((index) => startsWithShardKey(index.key));
    if (!supporting) {
      const options = uniqueKeyIndex ? { unique: true } : {};
      if (dryRun) {
        print(
          `  ${name}: would create index ${JSON.stringify(SHARD_KEY)} ${JSON.stringify(options)}`,
        );
      } else {
        collection.createIndex(SHARD_KEY, options);
        print(`  ${name}: created index ${JSON.stringify(SHARD_KEY)} ${JSON.stringify(options)}`);
      }
    }
  }
  if (dryRun) {
    print(
      `  ${name}: would shard ${ns}${existing.has(name) ? ` (${collection.estimatedDocumentCount()} documents)` : ' (not created yet)'}`,
    );
    summary.sharded.push(name);
    return;
  }
  // unique: the index it creates on an empty or new collection matches the app's declaration.
  sh.shardCollection(ns, SHARD_KEY, Boolean(uniqueKeyIndex));
  print(`  ${name}: sharded`);
  summary.sharded.push(name);
}

print('tenant-scoped collections:');
for (const entry of SHARDED) {
  try {
    shardOne(entry);
  } catch (error) {
    print(`  ${entry.name}: FAILED: ${error.message}`);
    summary.failed.push(entry.name);
  }
}

print('tenant-scoped collections blocked by the app (left unsharded):');
for (const entry of BLOCKED) {
  if (allowBlocked.includes(entry.name)) {
    print(`  ${entry.name}: in ALLOW_BLOCKED, trying`);
    try {
      shardOne(entry);
    } catch (error) {
      print(`  ${entry.name}: FAILED: ${error.message}`);
      summary.failed.push(entry.name);
    }
    continue;
  }
  const current = shardedKey(entry.name);
  if (current) {
    print(`  ${entry.name}: already sharded on ${JSON.stringify(current)}`);
    summary.already.push(entry.name);
    continue;
  }
  print(`  ${entry.name}: ${entry.why}`);
  print(`    to lift: ${entry.fix}`);
  summary.blocked.push(entry.name);
}

print('global collections (unsharded by design):');
for (const entry of UNSHARDED) print(`  ${entry.name}: ${entry.why}`);

const known = new Set([...SHARDED, ...BLOCKED, ...UNSHARDED].map((entry) => entry.name));
const unknown = [...existing].filter(
  (name) => !known.has(name) && !IGNORED_PREFIXES.some((prefix) => name.startsWith(prefix)),
);
if (unknown.length > 0) {
  print(`not in this script's lists (check the schemas, then add them): ${unknown.join(', ')}`);
}

print(
  `summary: ${dryRun ? 'would shard' : 'sharded'} ${summary.sharded.length}, already sharded ${summary.already.length}, ` +
    `blocked ${summary.blocked.length}, skipped ${summary.skipped.length}, failed ${summary.failed.length}`,
);
if (summary.failed.length > 0) quit(1);
