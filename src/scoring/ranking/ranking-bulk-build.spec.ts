import { Types } from 'mongoose';

import { PriorityTier } from '../scorer/priority-tier.util';
import { RankingBulkBuild, RECORD_BYTES, writeSortKey } from './ranking-bulk-build';
import { encodeScoreDoc } from './score-doc.codec';

/**
 * The rebuild's layout of the orderings, against hand-worked bytes. That the scripts page and
 * update what it lays out exactly as what they build themselves: test/integration/ranking-buckets.
 */

function key(x: number): string {
  const out = Buffer.alloc(8);
  writeSortKey(x, out, 0);
  return out.toString('hex');
}

function doc(ref: string, score: number, activity: number | null, owner: string | null): string {
  return encodeScoreDoc({
    leadRef: new Types.ObjectId(ref),
    leadId: 'L',
    name: null,
    email: null,
    ownerId: owner,
    status: 'NEW',
    emailOpens: 0,
    websiteVisits: 0,
    timeSpentSeconds: 0,
    lastActivityAt: activity === null ? null : new Date(activity),
    score,
    tier: PriorityTier.COLD,
    leadVersion: 1,
    computedAt: new Date(0),
  });
}

/** Lead refs whose bytes order as their last digit. */
const ref = (n: number) => `${'0'.repeat(23)}${n.toString(16)}`;

describe('writeSortKey (the scripts’ sortkey)', () => {
  it('writes big-endian IEEE 754 with the sign bit flipped, or every bit for negatives', () => {
    // 1.0 = 3ff0…: sign clear, flipped → bff0…; -1.0 = bff0…: every bit → 400f ff…
    expect(key(1)).toBe('bff0000000000000');
    expect(key(-1)).toBe('400fffffffffffff');
    expect(key(0)).toBe('8000000000000000');
    expect(key(-0)).toBe('8000000000000000');
    expect(key(Infinity)).toBe('fff0000000000000');
    // -72.5 = c052 2000 0000 0000 → 3fad dfff ffff ffff
    expect(key(-72.5)).toBe('3faddfffffffffff');
  });

  it('orders bytes as the numbers', () => {
    const values = [-Infinity, -1e12, -72.5, -1, -0.5, 0, 1e-9, 3, 100, 1.7e12, Infinity];
    const keys = values.map(key);
    expect([...keys].sort()).toEqual(keys);
  });
});

describe('RankingBulkBuild', () => {
  it('lays out each ordering by value then lead ref, in buckets of `fill`, first bound zero', () => {
    const build = new RankingBulkBuild();
    // Scores 50, 80, 50, 80, 10; activity: never for lead 3 (last), lead 5 the latest.
    const leads: [number, number, number | null, string | null][] = [
      [4, 50, 3_000, 'rep-a'],
      [1, 80, 1_000, null],
      [2, 50, 2_000, 'rep-a'],
      [3, 80, null, 'rep-b'],
      [5, 10, 9_000, null],
    ];
    for (const [n, score, activity, owner] of leads)
      build.add(Buffer.from(ref(n), 'hex'), doc(ref(n), score, activity, owner));
    expect(build.count).toBe(5);
    const groups = [...build.groups(2)];
    expect(groups.map((group) => [group.ownerId, group.count, group.seq])).toEqual([
      [null, 5, 6],
      ['rep-a', 2, 2],
      ['rep-b', 1, 2],
    ]);
    const leadsOf = (records: Buffer) =>
      Array.from({ length: records.length / RECORD_BYTES }, (_, i) =>
        parseInt(
          records.subarray(i * RECORD_BYTES + 8, (i + 1) * RECORD_BYTES).toString('hex'),
          16,
        ),
      );
    const tenant = groups[0].buckets;
    // By score: 80 (1, 3), 50 (2, 4), 10 (5); by activity: 9000 (5), 3000, 2000, 1000, never (3).
    expect(tenant.map((bucket) => [bucket.field, leadsOf(bucket.records)])).toEqual([
      ['s1', [1, 3]],
      ['s2', [2, 4]],
      ['s3', [5]],
      ['a4', [5, 4]],
      ['a5', [2, 1]],
      ['a6', [3]],
    ]);
    // A record: the value's key (the negated score), then the ref.
    expect(tenant[0].records.subarray(0, 20).toString('hex')).toBe(key(-80) + ref(1));
    // Dir members: kind, bound (zero for a kind's first bucket, else its first record), id.
    expect(tenant[0].member).toEqual(
      Buffer.concat([Buffer.from('s'), Buffer.alloc(20), Buffer.from('1')]),
    );
    expect(tenant[1].member).toEqual(
      Buffer.concat([Buffer.from('s'), tenant[1].records.subarray(0, 20), Buffer.from('2')]),
    );
    expect(tenant[5].records.subarray(0, 8).toString('hex')).toBe(key(Infinity));
    expect(groups[1].buckets.map((bucket) => [bucket.field, leadsOf(bucket.records)])).toEqual([
      ['s1', [2, 4]],
      ['a2', [4, 2]],
    ]);
  });

  it('keeps activity before 1970 and ties on it in ref order', () => {
    const build = new RankingBulkBuild();
    build.add(Buffer.from(ref(9), 'hex'), doc(ref(9), 1, -86_400_001, null));
    build.add(Buffer.from(ref(7), 'hex'), doc(ref(7), 1, -86_400_001, null));
    build.add(Buffer.from(ref(8), 'hex'), doc(ref(8), 1, 5, null));
    const [tenant] = [...build.groups(10)];
    const activity = tenant.buckets.find((bucket) => bucket.field.startsWith('a'))!;
    expect(activity.records.subarray(0, 8).toString('hex')).toBe(key(-5));
    expect(activity.records.subarray(20, 28).toString('hex')).toBe(key(86_400_001));
    expect(activity.records.subarray(28, 40).toString('hex')).toBe(ref(7));
  });

  it('grows past its first arrays and lays out nothing for no lead', () => {
    expect([...new RankingBulkBuild().groups(48)]).toEqual([]);
    const build = new RankingBulkBuild();
    for (let n = 0; n < 3000; n++) {
      const hex = new Types.ObjectId().toHexString();
      build.add(Buffer.from(hex, 'hex'), doc(hex, n % 7, n, n % 2 ? 'rep' : null));
    }
    const [tenant, rep] = [...build.groups(48)];
    expect(tenant.count).toBe(3000);
    expect(rep.count).toBe(1500);
    expect(tenant.buckets).toHaveLength(2 * Math.ceil(3000 / 48));
    const bytes = tenant.buckets.reduce((sum, bucket) => sum + bucket.records.length, 0);
    expect(bytes).toBe(2 * 3000 * RECORD_BYTES);
  });

  it('counts a lead added twice once, as added last', () => {
    const build = new RankingBulkBuild();
    build.add(Buffer.from(ref(2), 'hex'), doc(ref(2), 10, null, 'rep-a'));
    build.add(Buffer.from(ref(1), 'hex'), doc(ref(1), 20, null, null));
    build.add(Buffer.from(ref(2), 'hex'), doc(ref(2), 30, null, 'rep-b'));
    expect(build.count).toBe(3);
    const groups = [...build.groups(10)];
    expect(groups.map((group) => [group.ownerId, group.count])).toEqual([
      [null, 2],
      ['rep-b', 1],
    ]);
    const scores = groups[0].buckets[0].records;
    expect(scores.subarray(0, 20).toString('hex')).toBe(key(-30) + ref(2));
    expect(scores.subarray(20, 40).toString('hex')).toBe(key(-20) + ref(1));
  });

  it('gives each of many owners its leads, in the tenant order', () => {
    const build = new RankingBulkBuild();
    for (let n = 0; n < 2000; n++) {
      const hex = `${'0'.repeat(16)}${n.toString(16).padStart(8, '0')}`;
      build.add(Buffer.from(hex, 'hex'), doc(hex, n % 13, null, `rep-${n % 700}`));
    }
    const [tenant, ...owners] = [...build.groups(4)];
    expect(owners).toHaveLength(700);
    expect(owners.reduce((sum, group) => sum + group.count, 0)).toBe(2000);
    const order = (group: typeof tenant) =>
      group.buckets
        .filter((bucket) => bucket.field.startsWith('s'))
        .flatMap((bucket) =>
          Array.from({ length: bucket.records.length / RECORD_BYTES }, (_, i) =>
            bucket.records.subarray(i * RECORD_BYTES, (i + 1) * RECORD_BYTES).toString('hex'),
          ),
        );
    const all = order(tenant);
    for (const group of owners) {
      const own = order(group);
      expect(own).toHaveLength(group.count);
      // A subsequence of the tenant's order: the same records, in the same order.
      const positions = own.map((record) => all.indexOf(record));
      expect(positions.every((at, i) => at >= 0 && (i === 0 || at > positions[i - 1]))).toBe(true);
    }
  });

  it('refuses a text of another format and a ref that is not 12 bytes', () => {
    const build = new RankingBulkBuild();
    const text = doc(ref(1), 5, null, null);
    expect(() => build.add(Buffer.from(ref(1), 'hex'), text.replace(/^\[3,/, '[2,'))).toThrow(
      'another format',
    );
    expect(() => build.add(Buffer.from(ref(1), 'hex'), text.replace('|5|', '|five|'))).toThrow(
      'another format',
    );
    expect(() => build.add(Buffer.alloc(11), text)).toThrow('12 bytes');
  });
});
