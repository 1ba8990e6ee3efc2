import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Config } from 'jest';

/**
 * The coverage gate of `npm test`: the thresholds are in jest.config.js, Jest enforces them, and a
 * run below one fails. The last two tests run Jest itself on one small real spec, with a throw-away
 * config built from the project's (same transform, same scoring threshold), collecting coverage
 * from a file the spec covers and, for the failing run, from one it never loads.
 */

const ROOT = join(__dirname, '..', '..');
const JEST_BIN = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const projectConfig = createRequire(__filename)(join(ROOT, 'jest.config.js')) as Config;

// config-preview.util.spec.ts covers config-preview.util.ts (every line and branch); it never
// loads ranking-keys.ts, so with that file counted src/scoring/ falls below its 90 %.
const SPEC = 'src/scoring/scorer/config-preview.util.spec.ts';
const COVERED = 'src/scoring/scorer/config-preview.util.ts';
const NOT_LOADED = 'src/scoring/ranking/ranking-keys.ts';

interface JestRun {
  readonly code: number | null;
  readonly output: string;
  readonly results: { numPassedTests: number; numFailedTests: number; success: boolean };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coverage-gate-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs Jest on SPEC with the project's config, coverage collected from `files` only. */
async function runJest(name: string, files: readonly string[]): Promise<JestRun> {
  const configFile = join(dir, `${name}.jest.config.js`);
  const resultsFile = join(dir, `${name}.results.json`);
  // CommonJS, as jest.config.js: it loads the project's config and narrows it to one spec.
  writeFileSync(
    configFile,
    `const base = require(${JSON.stringify(join(ROOT, 'jest.config.js'))});
const unit = base.projects.find((project) => project.displayName === 'unit');
const root = ${JSON.stringify(ROOT)};
module.exports = {
  ...base,
  rootDir: root,
  projects: [
    { ...unit, rootDir: root, roots: ['<rootDir>/src'], testMatch: ['<rootDir>/${SPEC}'] },
  ],
  collectCoverageFrom: ${JSON.stringify(files)},
  coverageThreshold: { './src/scoring/': base.coverageThreshold['./src/scoring/'] },
  coverageDirectory: ${JSON.stringify(join(dir, `${name}-coverage`))},
  coverageReporters: ['text-summary'],
};
`,
  );
  const env = { ...process.env };
  delete env.JEST_WORKER_ID; // this test's own worker id: the child is a Jest run of its own
  // The threshold keys are folders relative to the working directory, as under `npm test`.
  const child = spawn(
    process.execPath,
    [
      JEST_BIN,
      '--config',
      configFile,
      '--coverage',
      '--ci',
      '--runInBand',
      '--json',
      '--outputFile',
      resultsFile,
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestRun['results'];
  return { code, output, results };
}

describe('coverage gate', () => {
  it('holds the thresholds of the issue in jest.config.js, over the whole of src/', () => {
    const thresholds: NonNullable<Config['coverageThreshold']> =
      projectConfig.coverageThreshold ?? { global: {} };
    for (const [key, minimum] of [
      ['./src/', 80],
      ['./src/scoring/', 90],
      ['./src/ml/', 90],
    ] as const) {
      expect(thresholds[key]?.lines).toBeGreaterThanOrEqual(minimum);
      expect(thresholds[key]?.branches).toBeGreaterThanOrEqual(minimum);
    }
    // Coverage from every source file, tested or not, not from the tests.
    expect(projectConfig.collectCoverageFrom).toEqual(
      expect.arrayContaining(['src/**/*.ts', '!src/**/*.spec.ts']),
    );
  });

  it('is part of npm test: unit and integration in one Jest run with --coverage', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'test.sh'), 'utf8');
    const jestRuns = script.split('\n').filter((line) => /\bnpx jest\b/.test(line));
    expect(jestRuns).toHaveLength(1);
    expect(jestRuns[0]).toContain('--selectProjects unit integration');
    expect(jestRuns[0]).toContain('--coverage');
  });

  it('fails a run whose coverage is below a threshold, with Jest’s message', async () => {
    const run = await runJest('below', [COVERED, NOT_LOADED]);
    // The spec's tests pass: the run fails on coverage alone.
    expect(run.results.numPassedTests).toBeGreaterThan(0);
    expect(run.results.numFailedTests).toBe(0);
    expect(run.results.success).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /Jest: Coverage for lines \(\d+(\.\d+)?%\) does not meet "\.\/src\/scoring\/" threshold \(90%\)/,
    );
  });

  it('passes the same run when the threshold is met', async () => {
    const run = await runJest('met', [COVERED]);
    expect(run.results.numFailedTests).toBe(0);
    expect(run.results.success).toBe(true);
    expect(run.code).toBe(0);
    expect(run.output).not.toMatch(/does not meet/);
    // The summary is printed.
    expect(run.output).toMatch(/Lines\s+: 100% \( ?\d+\/\d+ ?\)/);
  });
});
