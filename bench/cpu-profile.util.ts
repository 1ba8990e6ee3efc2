/**
 * A V8 CPU profile (the inspector's `Profiler.stop`, or a `node --cpu-prof` file) summed by
 * function: where a benchmark's loop spends its time, named by source file and line.
 */

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

export interface FunctionTime {
  /** `name (file:line)`, the file relative to the build (src/ml/…), line from 1. */
  readonly fn: string;
  /** Share of the samples in the function itself. */
  readonly selfShare: number;
  /** Share of the samples in it or anything it called (recursion counted once). */
  readonly totalShare: number;
}

/** Where a compiled file came from: the part from `src/` or `bench/` on, else the whole URL. */
export function shortUrl(url: string): string {
  const match = /(?:^|\/)((?:src|bench)\/.*)$/.exec(url);
  return match ? match[1] : url;
}

const nameOf = (node: ProfileNode): string =>
  `${node.callFrame.functionName || '(anonymous)'} (${shortUrl(node.callFrame.url) || 'native'}:${node.callFrame.lineNumber + 1})`;

/** The `top` functions by self time, each with its inclusive share. */
export function hottestFunctions(
  profile: { readonly nodes: readonly ProfileNode[] },
  top: number,
): FunctionTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let samples = 0;
  // Inclusive hits per node, then credited to each function once per path (not per recursion).
  const subtree = new Map<number, number>();
  const hitsBelow = (node: ProfileNode): number => {
    let hits = node.hitCount ?? 0;
    for (const child of node.children ?? []) hits += hitsBelow(byId.get(child)!);
    subtree.set(node.id, hits);
    return hits;
  };
  const credit = (node: ProfileNode, onPath: ReadonlySet<string>): void => {
    const fn = nameOf(node);
    self.set(fn, (self.get(fn) ?? 0) + (node.hitCount ?? 0));
    if (!onPath.has(fn)) total.set(fn, (total.get(fn) ?? 0) + subtree.get(node.id)!);
    const next = onPath.has(fn) ? onPath : new Set([...onPath, fn]);
    for (const child of node.children ?? []) credit(byId.get(child)!, next);
  };
  for (const root of profile.nodes.filter((node) => !childIds.has(node.id))) {
    samples += hitsBelow(root);
    credit(root, new Set());
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([fn, hits]) => ({
      fn,
      selfShare: samples > 0 ? hits / samples : 0,
      totalShare: samples > 0 ? (total.get(fn) ?? 0) / samples : 0,
    }));
}
