import Redis from 'ioredis';
// Relative imports: Jest's global setup loads this file without the @/ path mapping.
import mongoose from 'mongoose';

import { withTimeout } from '../common/utils/with-timeout.util';
import {
  HEALTH_PROBES_COLLECTION,
  mongoWriteRead,
  ProbeDocument,
  redisWriteRead,
} from '../health/write-read-checks';

/** A real write and read against one engine, through a client of the supervisor's own. */
export interface EngineCheck {
  /** Rejects when the engine cannot write and read back within the timeout. */
  run(): Promise<void>;
  close(): Promise<void>;
}

/** The supervisor writes in a database of its own, never in the app's. */
const SUPERVISOR_DATABASE = 'local_engine_supervisor';
const PROBE_ID = 'supervisor';

/**
 * One driver client kept for the engine's whole life: after a restart on the same port it
 * reconnects by itself, exactly as the app's connection does.
 */
export function mongoEngineCheck(uri: string, timeoutMs: number): EngineCheck {
  const client = new mongoose.mongo.MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    // A hung engine must not pile up one stuck operation per check.
    socketTimeoutMS: timeoutMs,
    directConnection: true,
  });
  const collection = client
    .db(SUPERVISOR_DATABASE)
    .collection<ProbeDocument>(HEALTH_PROBES_COLLECTION);
  return {
    run: () =>
      withTimeout(
        mongoWriteRead(collection, PROBE_ID),
        timeoutMs,
        `no write and read within ${timeoutMs} ms`,
      ),
    close: () => client.close(),
  };
}

export function redisEngineCheck(uri: string, timeoutMs: number): EngineCheck {
  const client = new Redis(uri, {
    connectionName: 'engine-supervisor',
    // Fail at once while disconnected (a failed check), and keep reconnecting in the background.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 250,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // disconnect() of a client whose server died otherwise keeps the process alive for 2 s.
    disconnectTimeout: 100,
  });
  // Connection errors surface as failed checks; without a listener ioredis would log each one.
  client.on('error', () => undefined);
  return {
    run: () =>
      withTimeout(
        redisWriteRead(client, 'local-engine-supervisor:probe'),
        timeoutMs,
        `no write and read within ${timeoutMs} ms`,
      ),
    close: () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
