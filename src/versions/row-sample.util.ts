/** 32-bit FNV-1a over the UTF-16 code units of a lead id: cheap, stable across runs and processes. */
export function leadIdHash(leadId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < leadId.length; i++) {
    hash ^= leadId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Where a lead falls in the sampling order: by hash, ties by lead id. */
export interface SampleKey {
  readonly hash: number;
  readonly leadId: string;
}

function compareKeys(a: SampleKey, b: SampleKey): number {
  if (a.hash !== b.hash) return a.hash - b.hash;
  return a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0;
}

interface Entry<R> extends SampleKey {
  readonly row: R;
}

/**
 * At most `limit` rows of a stream, the ones whose lead ids hash lowest (a bottom-k sample):
 * uniform over the leads whatever order the stream comes in, the same for the same data, and
 * coordinated — two streams sampled alike keep the same leads wherever both have them, so rows
 * can still be matched by lead id. Memory stays within 2 × limit rows.
 */
export class RowSample<R> {
  private entries: Entry<R>[] = [];
  /** Rows keyed above this can no longer be among the lowest `limit`. */
  private cut: SampleKey | null = null;
  private offered = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be ≥ 1');
  }

  /** Rows offered in all. */
  get seen(): number {
    return this.offered;
  }

  /** Whether rows were left out (more were offered than the limit). */
  get sampled(): boolean {
    return this.offered > this.limit;
  }

  /** Offers a lead's row; `row` is only called for a row that may be kept. */
  offer(leadId: string, row: () => R): void {
    this.offered++;
    const key = { hash: leadIdHash(leadId), leadId };
    if (this.cut && compareKeys(key, this.cut) > 0) return;
    this.entries.push({ ...key, row: row() });
    if (this.entries.length >= 2 * this.limit) this.compact();
  }

  /**
   * The highest key kept when rows were left out, else null (every row is kept). Restricting two
   * samples to the lower of their bounds makes them cover the same leads.
   */
  bound(): SampleKey | null {
    this.compact();
    if (!this.sampled) return null;
    const last = this.entries[this.entries.length - 1];
    return { hash: last.hash, leadId: last.leadId };
  }

  /** Keeps only rows keyed at or below `bound` (null: all). */
  restrict(bound: SampleKey | null): void {
    if (!bound) return;
    this.entries = this.entries.filter((entry) => compareKeys(entry, bound) <= 0);
  }

  /** The rows kept, ascending by lead id (code unit, as dataset tables are). */
  rows(): R[] {
    this.compact();
    return [...this.entries]
      .sort((a, b) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0))
      .map((entry) => entry.row);
  }

  private compact(): void {
    this.entries.sort(compareKeys);
    if (this.entries.length > this.limit) this.entries.length = this.limit;
    if (this.sampled) this.cut = this.entries[this.entries.length - 1];
  }
}

/** The lower of two samples' bounds (null when neither left rows out). */
export function sharedBound(a: SampleKey | null, b: SampleKey | null): SampleKey | null {
  if (!a) return b;
  if (!b) return a;
  return compareKeys(a, b) <= 0 ? a : b;
}
