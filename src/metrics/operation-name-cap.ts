/** What a parsed document allows as a name: nothing else can reach a label through it. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export const ANONYMOUS_OPERATION = 'anonymous';
export const OTHER_OPERATION = 'other';

/**
 * Operation names as label values. Clients choose them, so only the first `maxNames` distinct
 * names of the process get series of their own; later ones, and names longer than `maxLength`,
 * count as `other`, and unnamed operations as `anonymous`.
 */
export class OperationNameCap {
  private readonly seen = new Set<string>();
  private readonly maxNames: number;
  private readonly maxLength: number;

  constructor({ maxNames = 200, maxLength = 64 }: { maxNames?: number; maxLength?: number } = {}) {
    this.maxNames = maxNames;
    this.maxLength = maxLength;
  }

  label(name: string | null | undefined): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.seen.has(name)) return name;
    if (name.length > this.maxLength || !GRAPHQL_NAME.test(name)) return OTHER_OPERATION;
    if (this.seen.size >= this.maxNames) return OTHER_OPERATION;
    this.seen.add(name);
    return name;
  }
}
