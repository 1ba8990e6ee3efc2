import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ProfileWindow } from './profile-summary';

/** Microseconds of the monotonic clock V8 stamps a CPU profile's samples with. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * The spans of a bench's steps in the clock of the app's CPU profile (`node --cpu-prof`), written
 * as `bench-windows.json` beside it, so that `profile-summary --label …` reads one step alone.
 */
export class ProfileWindows {
  readonly windows: ProfileWindow[] = [];

  /** Runs `run` and keeps its span under `label` (a step that throws keeps its span too). */
  async timed<T>(label: string, run: () => Promise<T>): Promise<T> {
    const fromUs = monotonicUs();
    try {
      return await run();
    } finally {
      this.windows.push({ label, fromUs, toUs: monotonicUs() });
    }
  }

  /** Writes `bench-windows.json` into `dir` (made if missing); nothing without a directory. */
  save(dir: string | undefined): void {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bench-windows.json'), JSON.stringify(this.windows, null, 2));
  }
}
