import { describe, expect, it } from '@jest/globals';

import { hottestFunctions, ProfileNode, shortUrl } from './cpu-profile.util';

describe('hottestFunctions', () => {
  const node = (
    id: number,
    functionName: string,
    hitCount: number,
    children: number[] = [],
    url = 'file:///x/.data/bench-build/src/ml/a.js',
  ): ProfileNode => ({ id, callFrame: { functionName, url, lineNumber: id }, hitCount, children });

  it('ranks by self time and counts a recursive function once in its total', () => {
    // root → loop → explain → explain (recursion) ; loop → transform
    const profile = {
      nodes: [
        node(1, '(root)', 0, [2], ''),
        node(2, 'loop', 10, [3, 5]),
        node(3, 'explain', 50, [4]),
        node(4, 'explain', 20),
        node(5, 'transform', 20),
      ],
    };
    // Line numbers follow the node ids: the recursive call gets its caller's, to be the same one.
    (profile.nodes[3].callFrame as { lineNumber: number }).lineNumber = 3;
    const hottest = hottestFunctions(profile, 3);
    expect(hottest.map((f) => f.fn)).toEqual([
      'explain (src/ml/a.js:4)',
      'transform (src/ml/a.js:6)',
      'loop (src/ml/a.js:3)',
    ]);
    expect(hottest[0].selfShare).toBeCloseTo(0.7, 12);
    expect(hottest[0].totalShare).toBeCloseTo(0.7, 12);
    expect(hottest[2].selfShare).toBeCloseTo(0.1, 12);
    expect(hottest[2].totalShare).toBeCloseTo(1, 12);
  });

  it('shortens build paths to the source tree', () => {
    expect(shortUrl('file:///work/main/.data/bench-build/src/ml/serve/x.js')).toBe(
      'src/ml/serve/x.js',
    );
    expect(shortUrl('node:internal/timers')).toBe('node:internal/timers');
  });
});
