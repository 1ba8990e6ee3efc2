import type { StoreRepair } from './store-recovery';

/** How an engine process ended. */
export interface EngineExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A database engine started by the project itself for local runs and tests. */
export interface LocalEngine {
  /** What runs, as said in the logs, e.g. "mongo-java-server (memory)". */
  readonly name: string;
  /** Connection string for the app (MONGODB_URI / REDIS_URL form). */
  readonly uri: string;
  /** The loopback port it listens on; a restarted engine takes the same one (clients reconnect). */
  readonly port: number;
  readonly pid: number | undefined;
  /** Settles when the process ends, however it ends (its supervisor restarts it). */
  readonly exited: Promise<EngineExit>;
  /** Documents it removed from its data file at start because it could not load them. */
  readonly storeRepair?: StoreRepair;
  stop(): Promise<void>;
}
