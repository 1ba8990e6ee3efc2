import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { monotonicUs, ProfileWindows } from './profile-windows.util';

describe('ProfileWindows', () => {
  it('keeps each step’s span in order, a step that throws included, and writes them', async () => {
    const windows = new ProfileWindows();
    const before = monotonicUs();
    expect(await windows.timed('first', () => Promise.resolve(7))).toBe(7);
    await expect(
      windows.timed('second', () => Promise.reject(new Error('step failed'))),
    ).rejects.toThrow('step failed');
    expect(windows.windows.map((w) => w.label)).toEqual(['first', 'second']);
    const [first, second] = windows.windows;
    expect(first.fromUs).toBeGreaterThanOrEqual(before);
    expect(first.toUs).toBeGreaterThanOrEqual(first.fromUs);
    expect(second.fromUs).toBeGreaterThanOrEqual(first.toUs);

    const dir = mkdtempSync(join(tmpdir(), 'profile-windows-'));
    try {
      windows.save(undefined);
      windows.save(join(dir, 'nested'));
      const saved: unknown = JSON.parse(
        readFileSync(join(dir, 'nested', 'bench-windows.json'), 'utf8'),
      );
      expect(saved).toEqual(windows.windows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
