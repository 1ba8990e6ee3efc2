/**
 * What the mongo-java-server launcher says about its H2 file, and what to do about it, as plain
 * functions (tools/mongo-java-server/src/MongoJavaServerLauncher.java has the other side).
 */
import type { EngineExit } from './local-engine';

/** The H2 store closed under the engine (its background writer failed, e.g. a too-deep document). */
export const STORE_CLOSED_EXIT_CODE = 3;
/** The H2 file's content cannot be opened, even after removing the documents it cannot load. */
export const STORE_UNOPENABLE_EXIT_CODE = 4;
/** The H2 file is locked by another engine or cannot be read or written: its content is fine. */
export const STORE_INACCESSIBLE_EXIT_CODE = 5;

/** What the launcher had to do to its H2 file before it could serve (see the launcher). */
export interface StoreRepair {
  /** Documents it removed because it could not load them (nested too deep). */
  readonly removed?: {
    readonly count: number;
    /** "database.collection" of each collection that lost documents. */
    readonly namespaces: readonly string[];
    /** The file the removed documents were saved to, for inspection. */
    readonly savedTo: string;
  };
  /** Newest versions it gave up because they did not read back (the store closed mid-write). */
  readonly rolledBack?: {
    readonly versions: number;
    readonly toVersion: number;
    /** A copy of the file as it was before, for inspection. */
    readonly originalSavedTo: string;
  };
}

/**
 * The launcher's "ROLLED BACK versions=K to=V original=PATH" and
 * "REPAIRED removed=N namespaces=a.b,c.d saved=PATH" lines, if it printed any.
 */
export function parseStoreRepair(output: string): StoreRepair | undefined {
  const removed = /^REPAIRED removed=(\d+) namespaces=(\S*) saved=(.+)$/m.exec(output);
  const rolledBack = /^ROLLED BACK versions=(\d+) to=(\d+) original=(.+)$/m.exec(output);
  if (!removed && !rolledBack) return undefined;
  return {
    ...(removed && {
      removed: {
        count: Number(removed[1]),
        namespaces: removed[2] ? removed[2].split(',') : [],
        savedTo: removed[3].trim(),
      },
    }),
    ...(rolledBack && {
      rolledBack: {
        versions: Number(rolledBack[1]),
        toVersion: Number(rolledBack[2]),
        originalSavedTo: rolledBack[3].trim(),
      },
    }),
  };
}

/**
 * Why the launcher could not open its H2 file, when it exited because the file's content is
 * unusable (and only then: a locked or unreadable file is not the file's fault).
 */
export function unopenableStoreReason(exitCode: number | null, output: string): string | undefined {
  if (exitCode !== STORE_UNOPENABLE_EXIT_CODE) return undefined;
  const match = /^FATAL cannot open store: (.*)$/m.exec(output);
  return match ? match[1].trim() : `exit code ${exitCode}`;
}

/**
 * A restarted engine reads its whole store first (slow on a big one) only when the last one died
 * because its store closed: that is how a document too deep to load gets there. A store that
 * cannot be opened as it is gets checked anyway, whatever the cause.
 */
export function checkStoreOnRestart(previousExit: EngineExit | undefined): boolean {
  return previousExit?.code === STORE_CLOSED_EXIT_CODE;
}

/** Where an H2 file that cannot be opened is moved: beside it, stamped with the time (UTC). */
export function brokenStorePath(file: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d{3})Z$/, '$1Z');
  return `${file}.broken-${stamp}`;
}

/** Thrown by an engine start when its data file cannot be opened (see STORE_UNOPENABLE_EXIT_CODE). */
export class UnopenableStoreError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`the local MongoDB engine cannot open its data file ${file}: ${reason}`);
    this.name = 'UnopenableStoreError';
  }
}
