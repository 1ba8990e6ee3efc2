import { describe, expect, it } from '@jest/globals';

import { CpuProfile, packageOf, summarizeProfile, treeLines } from './profile-summary';

describe('packageOf', () => {
  it.each([
    ['file:///app/node_modules/@nestjs/core/router/x.js', '@nestjs/core'],
    ['file:///app/node_modules/a/node_modules/ioredis/built/Redis.js', 'ioredis'],
    ['file:///app/dist/auth/guards/request-gate.guard.js', 'src/auth'],
    ['file:///app/dist/main.js', 'src'],
    ['file:///app/.data/bench-build/src/scoring/ranking/x.js', 'src/scoring'],
    ['file:///app/.data/bench-build/bench/run-bench.js', 'bench'],
    ['node:internal/streams/writable', 'node:streams'],
    ['node:net', 'node:net'],
    ['', '(native)'],
  ])('%s → %s', (url, name) => {
    expect(packageOf(url)).toBe(name);
  });

  it('names the garbage collector', () => {
    expect(packageOf('', '(garbage collector)')).toBe('(gc)');
  });
});

describe('summarizeProfile', () => {
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
  // (root) → handler (ours) → verify (jsonwebtoken) → hmac (node internals); (root) → (idle)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
      { id: 2, callFrame: frame('handler', 'file:///a/dist/auth/x.js'), children: [3] },
      {
        id: 3,
        callFrame: frame('verify', 'file:///a/node_modules/jsonwebtoken/v.js'),
        children: [4],
      },
      { id: 4, callFrame: frame('hmac', 'node:internal/crypto/hash') },
      { id: 5, callFrame: frame('(idle)', '') },
    ],
    startTime: 0,
    // Samples at 1, 2, 3, 4, 5 ms (µs); each stands for the time to the next (1 ms; the last 0).
    samples: [2, 4, 4, 5, 3, 3],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    endTime: 6000,
  };

  it('charges self and inclusive time by function and by package, node internals to their caller', () => {
    const summary = summarizeProfile(profile);

    expect(summary.busyMs).toBe(4);
    expect(summary.sampledMs).toBe(5);
    const fn = (name: string) => summary.functions.find((f) => f.name.startsWith(name));
    expect(fn('hmac')).toMatchObject({ selfMs: 2, totalMs: 2 });
    expect(fn('verify')).toMatchObject({ selfMs: 1, totalMs: 3 });
    expect(fn('handler')).toMatchObject({ selfMs: 1, totalMs: 4 });
    const pkg = (name: string) => summary.packages.find((p) => p.name === name);
    expect(pkg('jsonwebtoken')).toMatchObject({ selfMs: 3, totalMs: 3 });
    expect(pkg('src/auth')).toMatchObject({ selfMs: 1, totalMs: 4 });
    expect(treeLines(summary.tree, 0.5)).toEqual([
      '100.0 % handler src/auth/x.js:1',
      ' 75.0 %   verify jsonwebtoken/v.js:1',
      ' 50.0 %     hmac node:internal/crypto/hash:1',
    ]);
  });

  it('keeps only the samples inside the windows', () => {
    const summary = summarizeProfile(profile, [{ label: 'w', fromUs: 2500, toUs: 4500 }]);
    expect(summary.sampledMs).toBe(2);
    expect(summary.busyMs).toBe(1);
  });
});
