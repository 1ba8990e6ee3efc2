// The ranking index's orderings built whole from a tenant's rows (the rebuild), in the exact bytes
// the Lua scripts keep (ranking-scripts.ts: BUCKETS_LUA), so that live updates carry on from them.

import { readScoreDocOrdering } from './score-doc.codec';

/** A record: the 8-byte sort key, then the lead ref's 12 bytes. */
export const RECORD_BYTES = 20;
const REF_BYTES = 12;
/** The bound of a kind's first bucket (the scripts' ZERO). */
const FIRST_BOUND = Buffer.alloc(RECORD_BYTES);

export type OrderingKind = 's' | 'a';

/** One bucket of a group's ordering: its field in `order`, its member in `dir`, its records. */
export interface BuiltBucket {
  readonly field: string;
  readonly member: Buffer;
  readonly records: Buffer;
}

/** A group's orderings (the tenant's: owner null; or one owner's), both kinds. */
export interface BuiltGroup {
  readonly ownerId: string | null;
  /** Its leads (`#n`). */
  readonly count: number;
  /** Its buckets' last id (`#seq`). */
  readonly seq: number;
  readonly buckets: readonly BuiltBucket[];
}

/**
 * The byte-comparable form of a double (the scripts' `sortkey`): big-endian IEEE 754 with the sign
 * bit flipped for positives and every bit flipped for negatives, so that bytes compare as the
 * numbers do. -0 is written as 0.
 */
export function writeSortKey(x: number, out: Buffer, offset: number): void {
  out.writeDoubleBE(x === 0 ? 0 : x, offset);
  if (out[offset] >= 128) {
    for (let i = offset; i < offset + 8; i++) out[i] = 255 - out[i];
  } else {
    out[offset] += 128;
  }
}

/** What the scripts sort a lead by in each kind: the negated score, the negated last activity. */
function orderingValue(kind: OrderingKind, score: number, activity: number | null): number {
  if (kind === 's') return -score;
  return activity === null ? Infinity : -activity;
}

/**
 * Collects a tenant's stored texts, then lays out each group's orderings as full buckets. A bucket
 * is filled to `fill` records (three quarters of the scripts' split size, as a B-tree bulk load
 * leaves room: the next inserts into it do not split it at once).
 *
 * Why: the scripts insert one record at a time (a binary search and a copy of its bucket each, ~34 µs
 * of Redis CPU a lead and ordering at 1,000,000 leads: Redis was the rebuild's busiest process);
 * sorting here and writing whole buckets costs Redis only the writes.
 *
 * Memory: 32 bytes a lead in typed arrays while collecting, about 60 more while laying out (the
 * sorted orders), plus the owners' names; the texts are not kept.
 */
export class RankingBulkBuild {
  private size = 0;
  private refs = Buffer.alloc(REF_BYTES * 1024);
  private scores = new Float64Array(1024);
  private activities = new Float64Array(1024);
  /** Index into `ownerIds`, -1: none. */
  private owners = new Int32Array(1024);
  private readonly ownerIds: string[] = [];
  private readonly ownerIndex = new Map<string, number>();

  /** Texts added (a lead added twice counts twice). */
  get count(): number {
    return this.size;
  }

  /**
   * A lead's stored text (score-doc.codec) under its ref's 12 bytes. Throws on a text the scripts
   * would refuse. A lead added again replaces what was added before.
   */
  add(ref: Uint8Array, doc: string): void {
    const ordering = readScoreDocOrdering(doc);
    if (!ordering) throw new Error('ranking bulk build: a stored text of another format');
    if (ref.length !== REF_BYTES) throw new Error('ranking bulk build: a lead ref is 12 bytes');
    if (this.size === this.scores.length) this.grow();
    const i = this.size++;
    this.refs.set(ref, i * REF_BYTES);
    this.scores[i] = ordering.score;
    this.activities[i] = ordering.lastActivityAt ?? NaN;
    let owner = -1;
    if (ordering.ownerId !== null) {
      owner = this.ownerIndex.get(ordering.ownerId) ?? -1;
      if (owner < 0) {
        owner = this.ownerIds.push(ordering.ownerId) - 1;
        this.ownerIndex.set(ordering.ownerId, owner);
      }
    }
    this.owners[i] = owner;
  }

  /**
   * Each group's orderings: the tenant's first, then each owner's. Leads ordered as the scripts
   * order records: the value ascending, ties by lead ref (bytes) ascending. A lead added twice
   * counts once, as added last.
   *
   * Synchronous work of about 1.2 s at 1,000,000 leads (two sorts and the buckets' bytes), once a
   * rebuild.
   */
  *groups(fill: number): Generator<BuiltGroup> {
    if (!Number.isInteger(fill) || fill < 1) throw new Error('ranking bulk build: fill ≥ 1');
    const byRef = this.leadsByRef();
    if (byRef.length === 0) return;
    const sorted = {
      s: this.sortBy('s', byRef),
      a: this.sortBy('a', byRef),
    };
    yield this.group(null, sorted, fill);
    // Each owner's leads, in the tenant's order: one pass a kind puts them in owner-sized slices.
    const owners = this.ownerIds.length;
    const start = new Int32Array(owners + 1);
    for (const lead of byRef) if (this.owners[lead] >= 0) start[this.owners[lead] + 1]++;
    for (let owner = 0; owner < owners; owner++) start[owner + 1] += start[owner];
    const byOwner = { s: new Uint32Array(start[owners]), a: new Uint32Array(start[owners]) };
    for (const kind of ['s', 'a'] as const) {
      const next = start.slice(0, owners);
      for (const lead of sorted[kind]) {
        const owner = this.owners[lead];
        if (owner >= 0) byOwner[kind][next[owner]++] = lead;
      }
    }
    for (let owner = 0; owner < owners; owner++) {
      if (start[owner + 1] === start[owner]) continue;
      const slice = (kind: OrderingKind) => byOwner[kind].subarray(start[owner], start[owner + 1]);
      yield this.group(this.ownerIds[owner], { s: slice('s'), a: slice('a') }, fill);
    }
  }

  private group(
    ownerId: string | null,
    sorted: Record<OrderingKind, ArrayLike<number>>,
    fill: number,
  ): BuiltGroup {
    const buckets: BuiltBucket[] = [];
    let seq = 0;
    for (const kind of ['s', 'a'] as const) {
      const leads = sorted[kind];
      for (let start = 0; start < leads.length; start += fill) {
        const end = Math.min(leads.length, start + fill);
        const records = Buffer.allocUnsafe((end - start) * RECORD_BYTES);
        for (let k = start; k < end; k++) {
          const lead = leads[k];
          const at = (k - start) * RECORD_BYTES;
          writeSortKey(this.value(kind, lead), records, at);
          this.refs.copy(records, at + 8, lead * REF_BYTES, (lead + 1) * REF_BYTES);
        }
        const id = String(++seq);
        const bound = start === 0 ? FIRST_BOUND : records.subarray(0, RECORD_BYTES);
        buckets.push({
          field: kind + id,
          member: Buffer.concat([Buffer.from(kind), bound, Buffer.from(id)]),
          records,
        });
      }
    }
    return { ownerId, count: sorted.s.length, seq, buckets };
  }

  private value(kind: OrderingKind, lead: number): number {
    const activity = this.activities[lead];
    return orderingValue(kind, this.scores[lead], Number.isNaN(activity) ? null : activity);
  }

  /** The leads in lead ref order (bytes, compared as three 32-bit words), each ref once: its last. */
  private leadsByRef(): number[] {
    const n = this.size;
    const words = new Uint32Array(n * 3);
    for (let i = 0; i < n; i++) {
      words[3 * i] = this.refs.readUInt32BE(i * REF_BYTES);
      words[3 * i + 1] = this.refs.readUInt32BE(i * REF_BYTES + 4);
      words[3 * i + 2] = this.refs.readUInt32BE(i * REF_BYTES + 8);
    }
    const same = (x: number, y: number) =>
      words[3 * x] === words[3 * y] &&
      words[3 * x + 1] === words[3 * y + 1] &&
      words[3 * x + 2] === words[3 * y + 2];
    const leads = Array.from({ length: n }, (_, i) => i).sort(
      (x, y) =>
        words[3 * x] - words[3 * y] ||
        words[3 * x + 1] - words[3 * y + 1] ||
        words[3 * x + 2] - words[3 * y + 2] ||
        x - y,
    );
    return leads.filter((lead, k) => k + 1 === leads.length || !same(lead, leads[k + 1]));
  }

  /**
   * The leads by one kind's value, ties in ref order: a stable sort (Array.prototype.sort is
   * stable) of the leads already in ref order.
   */
  private sortBy(kind: OrderingKind, byRef: readonly number[]): number[] {
    const values = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) values[i] = this.value(kind, i);
    return [...byRef].sort((x, y) => {
      const a = values[x];
      const b = values[y];
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  private grow(): void {
    const capacity = this.scores.length * 2;
    const refs = Buffer.alloc(REF_BYTES * capacity);
    this.refs.copy(refs);
    this.refs = refs;
    const scores = new Float64Array(capacity);
    scores.set(this.scores);
    this.scores = scores;
    const activities = new Float64Array(capacity);
    activities.set(this.activities);
    this.activities = activities;
    const owners = new Int32Array(capacity);
    owners.set(this.owners);
    this.owners = owners;
  }
}
