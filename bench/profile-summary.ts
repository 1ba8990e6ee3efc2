/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. the app's under `npm run bench` with
 * BENCH_PROFILE_DIR): the busy time by function and by package, self and inclusive, optionally
 * only inside time windows (the bench writes `bench-windows.json` beside the profile: the
 * saturation runs against the app, in the monotonic clock V8 stamps its samples with).
 *
 * Usage (after `npm run bench`, which builds it):
 *   node .data/bench-build/bench/profile-summary.js <file.cpuprofile | dir> [--top 25]
 *     [--windows <bench-windows.json>] [--label <substring of a window's label>] [--tree <min %>]
 * Given a directory, it reads the newest .cpuprofile there and that directory's
 * bench-windows.json if any.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  /** Microseconds, monotonic clock. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A span of the monotonic clock, in microseconds (`process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  readonly label: string;
  readonly fromUs: number;
  readonly toUs: number;
}

export interface TimeShare {
  readonly name: string;
  /** Milliseconds in it itself (a package: in its own code, not in what it called). */
  readonly selfMs: number;
  /** Milliseconds in it or anything it called, counted once per sample (recursion included). */
  readonly totalMs: number;
}

export interface ProfileSummary {
  /** Sampled milliseconds inside the windows, idle included. */
  readonly sampledMs: number;
  /** Of which not idle (the event loop waiting) or the profiler's own bookkeeping. */
  readonly busyMs: number;
  readonly functions: readonly TimeShare[];
  readonly packages: readonly TimeShare[];
  /** The busy samples top-down, merged by function: where each caller's time goes. */
  readonly tree: CallTreeNode;
}

export interface CallTreeNode {
  readonly name: string;
  ms: number;
  readonly children: Map<string, CallTreeNode>;
}

const IDLE = new Set(['(idle)', '(root)']);

/**
 * Where a frame's code lives: an npm package (`@nestjs/core`), a folder of ours (`src/auth`,
 * `bench`), node's own code (`node:internal/…` as `node:<module>`), or `(native)` for V8 builtins,
 * the garbage collector and the like.
 */
/**
 * A file of ours as `src/…` or `bench/…`: `npm run build` writes src/'s tree to dist/, the bench's
 * build writes src/ and bench/ into .data/bench-build/.
 */
function ourPath(url: string): string | undefined {
  if (url.includes('/node_modules/')) return undefined;
  const dist = /\/dist\/(.*)$/.exec(url);
  if (dist) return `src/${dist[1]}`;
  return /\/((?:src|bench)\/.*)$/.exec(url)?.[1];
}

/**
 * Where a frame's code lives: an npm package (`@nestjs/core`), a folder of ours (`src/auth`,
 * `bench`), node's own code (`node:internal/…` as `node:<module>`), or `(native)` for V8 builtins,
 * `(gc)` for the garbage collector.
 */
export function packageOf(url: string, functionName = ''): string {
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : '(native)';
  const modules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1];
  const ours = ourPath(url);
  // A file directly in src/ or bench/ names that folder alone.
  if (ours) return /^[^/]+\/[^/]+\//.exec(ours)?.[0].replace(/\/$/, '') ?? ours.split('/')[0];
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node:${internal[1].replace(/\.js$/, '')}`;
  return url;
}

function functionLabel(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = ourPath(url) ?? url.replace(/^.*node_modules\//, '');
  return where
    ? `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`
    : functionName || '(anonymous)';
}

/** Self and inclusive time by function and by package, over the samples inside `windows`. */
export function summarizeProfile(
  profile: CpuProfile,
  windows: readonly ProfileWindow[] = [],
  top = 25,
): ProfileSummary {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const pkgSelf = new Map<string, number>();
  const pkgTotal = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms);
  // The stack of each node, computed once: function labels and packages, leaf first.
  const stacks = new Map<number, { fns: string[]; pkgs: string[] }>();
  const stackOf = (id: number) => {
    let stack = stacks.get(id);
    if (!stack) {
      const fns: string[] = [];
      const pkgs: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = byId.get(at)!;
        if (node.callFrame.functionName === '(root)') break;
        fns.push(functionLabel(node));
        pkgs.push(packageOf(node.callFrame.url, node.callFrame.functionName));
      }
      stack = { fns, pkgs };
      stacks.set(id, stack);
    }
    return stack;
  };

  const tree: CallTreeNode = { name: '(busy)', ms: 0, children: new Map() };
  let sampledMs = 0;
  let busyMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    // A sample stands for the time until the next one.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (windows.length > 0 && !windows.some((w) => at >= w.fromUs && at < w.toUs)) continue;
    sampledMs += ms;
    const node = byId.get(profile.samples[i])!;
    if (IDLE.has(node.callFrame.functionName) || node.callFrame.functionName === '(program)') {
      continue;
    }
    busyMs += ms;
    const { fns, pkgs } = stackOf(node.id);
    add(fnSelf, fns[0], ms);
    for (const fn of new Set(fns)) add(fnTotal, fn, ms);
    // Node internals and native frames are charged to the nearest package above them (crypto
    // under jsonwebtoken counts as jsonwebtoken's), unless nothing above is one.
    const owner =
      pkgs.find((pkg) => !pkg.startsWith('node:') && !pkg.startsWith('(')) ?? pkgs[0] ?? '(native)';
    add(pkgSelf, owner, ms);
    for (const pkg of new Set(pkgs)) add(pkgTotal, pkg, ms);
    let branch = tree;
    branch.ms += ms;
    for (let k = fns.length - 1; k >= 0; k--) {
      let child = branch.children.get(fns[k]);
      if (!child) {
        child = { name: fns[k], ms: 0, children: new Map() };
        branch.children.set(fns[k], child);
      }
      child.ms += ms;
      branch = child;
    }
  }
  const ranked = (self: Map<string, number>, total: Map<string, number>, by: 'self' | 'total') =>
    [...new Set([...self.keys(), ...total.keys()])]
      .map((name) => ({ name, selfMs: self.get(name) ?? 0, totalMs: total.get(name) ?? 0 }))
      .sort((a, b) => (by === 'self' ? b.selfMs - a.selfMs : b.totalMs - a.totalMs))
      .slice(0, top);
  return {
    sampledMs,
    busyMs,
    functions: ranked(fnSelf, fnTotal, 'self'),
    packages: ranked(pkgSelf, pkgTotal, 'self'),
    tree,
  };
}

/** The `top` functions by inclusive time (the call paths), from a summary made with a large top. */
export function byInclusive(shares: readonly TimeShare[], top: number): TimeShare[] {
  return [...shares].sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
}

function table(title: string, rows: readonly TimeShare[], busyMs: number): string {
  const pct = (ms: number) => `${((ms / busyMs) * 100).toFixed(1).padStart(5)} %`;
  return [
    `${title}`,
    `   self        incl.       `,
    ...rows.map((r) => `  ${pct(r.selfMs)}   ${pct(r.totalMs)}   ${r.name}`),
  ].join('\n');
}

/** The call tree's branches of at least `minShare` of the busy time, indented, top-down. */
export function treeLines(tree: CallTreeNode, minShare: number): string[] {
  const lines: string[] = [];
  const walk = (node: CallTreeNode, depth: number) => {
    const children = [...node.children.values()]
      .filter((child) => child.ms >= minShare * tree.ms)
      .sort((a, b) => b.ms - a.ms);
    for (const child of children) {
      lines.push(
        `${((child.ms / tree.ms) * 100).toFixed(1).padStart(5)} % ${'  '.repeat(depth)}${child.name}`,
      );
      walk(child, depth + 1);
    }
  };
  walk(tree, 0);
  return lines;
}

function newestProfile(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return files[0];
}

function main(argv: string[]): void {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const target = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!target)
    throw new Error(
      'usage: profile-summary <file.cpuprofile | dir> [--top n] [--windows f] [--label s]',
    );
  const isDir = statSync(target).isDirectory();
  const file = isDir ? newestProfile(target) : target;
  const windowsFile =
    option('windows') ??
    (isDir && readdirSync(target).includes('bench-windows.json')
      ? join(target, 'bench-windows.json')
      : undefined);
  const label = option('label');
  const windows = windowsFile
    ? (JSON.parse(readFileSync(windowsFile, 'utf8')) as ProfileWindow[]).filter(
        (w) => !label || w.label.includes(label),
      )
    : [];
  if (windowsFile && windows.length === 0) throw new Error(`no window labelled ${label}`);
  const top = Number(option('top') ?? 25);
  const treeShare = option('tree');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, windows, 100_000);
  const busy = summary.busyMs;
  process.stdout.write(
    [
      `${file}`,
      windows.length > 0
        ? `windows: ${windows.map((w) => w.label).join(', ')}`
        : 'whole profile (no windows)',
      `sampled ${(summary.sampledMs / 1000).toFixed(2)} s, busy ${(busy / 1000).toFixed(2)} s (${((busy / summary.sampledMs) * 100).toFixed(0)} %); shares below are of the busy time`,
      '',
      table(
        'packages by self time (node internals charged to the package calling them)',
        summary.packages.slice(0, top),
        busy,
      ),
      '',
      table('packages by inclusive time', byInclusive(summary.packages, top), busy),
      '',
      table('functions by self time', summary.functions.slice(0, top), busy),
      '',
      table('functions by inclusive time', byInclusive(summary.functions, top), busy),
      '',
      ...(treeShare === undefined
        ? []
        : [
            `call tree, top-down, branches of ${treeShare} % of the busy time or more`,
            ...treeLines(summary.tree, Number(treeShare) / 100),
            '',
          ]),
    ].join('\n'),
  );
}

if (require.main === module) main(process.argv.slice(2));
