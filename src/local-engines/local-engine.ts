/** A database engine started by the project itself for local runs and tests. */
export interface LocalEngine {
  /** What runs, as said in the logs, e.g. "mongo-java-server (memory)". */
  readonly name: string;
  /** Connection string for the app (MONGODB_URI / REDIS_URL form). */
  readonly uri: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}
