// Two projects: `unit` (pure functions, no engines, beside the code) and `integration`
// (the real app on real local engines, started once per run by test/setup/global-setup.ts).
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/**
 * A ts-jest AST transformer written in TypeScript (test/utils/<name>.ts), compiled to
 * .data/jest/ for ts-jest, which `require`s transformers (it would need esbuild for a .ts file).
 * The output is named by the source's hash, so an edit is picked up and the transform cache with it.
 */
function astTransformer(name) {
  const source = path.join(__dirname, 'test', 'utils', `${name}.ts`);
  const text = fs.readFileSync(source, 'utf8');
  const hash = createHash('sha1').update(text).digest('hex').slice(0, 12);
  const target = path.join(__dirname, '.data', 'jest', `${name}.${hash}.js`);
  if (!fs.existsSync(target)) {
    const ts = require('typescript');
    const { outputText } = ts.transpileModule(text, {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Written aside and renamed: Jest processes started together may compile it at once.
    const partial = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(partial, `${outputText}\nexports.version = '${hash}';\n`);
    fs.renameSync(partial, target);
  }
  return target;
}

const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      tsconfig: '<rootDir>/tsconfig.json',
      // Keeps TypeScript's decorator metadata out of branch coverage (see the file).
      astTransformers: { after: [astTransformer('decorator-metadata-coverage')] },
    },
  ],
};
const moduleNameMapper = {
  '^@/(.*)$': '<rootDir>/src/$1',
  '^@test/(.*)$': '<rootDir>/test/$1',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      slowTestThreshold: 20,
    },
  ],
  // Integration tests boot apps and engines; unit tests finish in milliseconds either way.
  testTimeout: 60000,
  // Two workers even on two cores: an integration file spends much of its time waiting (on the
  // engines, timers, spawned processes), so one worker kept the machine ~70 % busy and the run
  // serial. A worker that grew past the limit after a file is replaced: one process running every
  // file reached 4 GB, and its garbage collections paused the event loop long enough for a test
  // app's MongoDB server selection to time out (CI saw it twice).
  maxWorkers: 2,
  workerIdleMemoryLimit: '1500MB',

  // Coverage (`npm test` runs both projects in one Jest run with --coverage, so the numbers are
  // unit + integration merged). Without --coverage (test:unit, test:integration) none of this
  // applies. Every source file counts, loaded by a test or not; left out are only the two entry
  // points that start a process when loaded, which no test can import (the built app is run as a
  // process by the tests instead: test/utils/app-process.ts).
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/**/__tests__/**', // test factories beside the code, left out of the build too
    '!src/main.ts', // `npm start` / `node dist/main.js`: calls main() at load
    '!src/graphql-schema/generate-schema.ts', // `npm run schema:generate`: runs at load
  ],
  // The gate: a run with --coverage below any of these fails. Each key is a folder; Jest counts a
  // file in every folder key it falls under, so `./src/` is the whole of src/, scoring and ml
  // included. (A `global` key would add nothing: it only counts files that no folder key matches,
  // and with none left it falls back to every file, `./src/` again.) Jest resolves the keys from
  // the working directory: run it from the repository's root, as the npm scripts do.
  coverageThreshold: {
    './src/': { lines: 80, branches: 80 },
    './src/scoring/': { lines: 90, branches: 90 },
    './src/ml/': { lines: 90, branches: 90 },
  },
  // babel (istanbul) rather than v8: over the unit tests, as fast as a run without coverage once
  // the transform cache is warm, where v8 took 7 times as long; and it counts the branches of files
  // no test loads (v8 counts none for them). Over unit + integration it costs 20-30 % more CPU.
  coverageProvider: 'babel',
  coverageDirectory: '<rootDir>/.data/coverage',
  // The totals in the log, and the per-file summary that scripts/test.sh prints by folder.
  coverageReporters: ['text-summary', 'json-summary'],
};
