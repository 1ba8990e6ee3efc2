import { leadIdHash, RowSample, sharedBound } from './row-sample.util';

const ids = (n: number, prefix = 'L'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** The `k` lead ids of lowest hash, by brute force. */
function lowest(leadIds: readonly string[], k: number): string[] {
  return [...leadIds]
    .sort((a, b) => leadIdHash(a) - leadIdHash(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, k)
    .sort();
}

function sampleOf(leadIds: readonly string[], limit: number): RowSample<string> {
  const sample = new RowSample<string>(limit);
  for (const id of leadIds) sample.offer(id, () => id);
  return sample;
}

describe('leadIdHash', () => {
  it('is 32-bit FNV-1a (reference values)', () => {
    expect(leadIdHash('')).toBe(0x811c9dc5);
    expect(leadIdHash('a')).toBe(0xe40c292c);
    expect(leadIdHash('foobar')).toBe(0xbf9cf968);
  });
});

describe('RowSample', () => {
  it('keeps every row, in lead id order, up to the limit', () => {
    const sample = sampleOf(['c', 'a', 'b'], 3);
    expect(sample.rows()).toEqual(['a', 'b', 'c']);
    expect(sample.sampled).toBe(false);
    expect(sample.bound()).toBeNull();
  });

  it('keeps the lowest hashes whatever order the rows come in, holding at most twice the limit', () => {
    const all = ids(5_000);
    const reversed = [...all].reverse();
    const expected = lowest(all, 100);
    expect(sampleOf(all, 100).rows()).toEqual(expected);
    expect(sampleOf(reversed, 100).rows()).toEqual(expected);
    const sample = sampleOf(all, 100);
    expect(sample.seen).toBe(5_000);
    expect(sample.sampled).toBe(true);
    let built = 0;
    const counting = new RowSample<number>(100);
    for (const id of all) counting.offer(id, () => ++built);
    // Rows are only made for leads that may still be kept: far fewer than offered.
    expect(built).toBeLessThan(1_500);
  });

  it('restricted to the lower bound of two samples, keeps the same leads wherever both have them', () => {
    const a = ids(3_000);
    const b = [...ids(2_000), ...ids(2_000, 'N')];
    const sa = sampleOf(a, 200);
    const sb = sampleOf(b, 200);
    const bound = sharedBound(sa.bound(), sb.bound());
    sa.restrict(bound);
    sb.restrict(bound);
    const inA = new Set(sa.rows());
    const inB = new Set(sb.rows());
    const both = a.filter((id) => b.includes(id));
    for (const id of both) expect(inA.has(id)).toBe(inB.has(id));
    expect(inA.size).toBeGreaterThan(0);
    expect(inA.size).toBeLessThanOrEqual(200);
    expect(inB.size).toBeLessThanOrEqual(200);
  });

  it('refuses a limit below 1', () => {
    expect(() => new RowSample(0)).toThrow(RangeError);
  });
});
