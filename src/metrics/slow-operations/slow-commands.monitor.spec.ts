import { EventEmitter } from 'node:events';

import { Logger } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { mongo } from 'mongoose';
import { Registry } from 'prom-client';

import type { AppConfig } from '@/config/app-config';
import type { MetricsService } from '@/metrics/metrics.service';

import { SlowCommandsMonitor } from './slow-commands.monitor';
import { SlowOperationMetrics } from './slow-operation.metrics';

const TENANT = new mongo.ObjectId('65f0c1a2b3c4d5e6f7a8b9c0');

/** Stands in for the MongoClient: the driver emits these three events with these fields. */
class FakeClient extends EventEmitter {
  readonly options = { monitorCommands: true };
  private nextRequestId = 1;

  start(command: Record<string, unknown>): number {
    const requestId = this.nextRequestId++;
    this.emit('commandStarted', { commandName: Object.keys(command)[0], requestId, command });
    return requestId;
  }

  succeed(requestId: number, commandName: string, duration: number): void {
    this.emit('commandSucceeded', { commandName, requestId, duration });
  }

  fail(requestId: number, commandName: string, duration: number, failure: Error): void {
    this.emit('commandFailed', { commandName, requestId, duration, failure });
  }
}

function makeMonitor({ slowOperationMs = 100 } = {}) {
  const client = new FakeClient();
  const registry = new Registry();
  const metrics = new SlowOperationMetrics({ registry } as MetricsService);
  const sut = new SlowCommandsMonitor(
    { getClient: () => client } as unknown as Connection,
    { slowOperationMs } as AppConfig,
    metrics,
  );
  sut.onModuleInit();
  const slowCount = async (operation: string) =>
    (await metrics.slowOperations.get()).values.find(
      (value) => value.labels.engine === 'mongo' && value.labels.operation === operation,
    )?.value ?? 0;
  const observed = async (command: string) =>
    (await metrics.mongoCommandDuration.get()).values.find(
      (value) =>
        value.metricName === 'leadscoring_mongo_command_duration_seconds_count' &&
        value.labels.command === command,
    )?.value ?? 0;
  return { sut, client, slowCount, observed };
}

describe('SlowCommandsMonitor', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('logs a command at or over the threshold by shape, and counts it', async () => {
    const { client, slowCount, observed } = makeMonitor();

    const id = client.start({ find: 'leads', filter: { tenantId: TENANT, email: 'a@b.test' } });
    client.succeed(id, 'find', 100);

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({
      msg: 'slow MongoDB command',
      command: 'find',
      collection: 'leads',
      filter: '{tenantId: <ObjectId>, email: <string>}',
      durationMs: 100,
    });
    expect(await slowCount('find')).toBe(1);
    expect(await observed('find')).toBe(1);
  });

  it('measures a fast command without logging it or reading its document', async () => {
    const { client, slowCount, observed } = makeMonitor();
    const command = { find: 'leads' } as Record<string, unknown>;
    const readFilter = jest.fn(() => ({ tenantId: TENANT }));
    Object.defineProperty(command, 'filter', { get: readFilter, enumerable: true });

    client.succeed(client.start(command), 'find', 99);

    expect(warn).not.toHaveBeenCalled();
    expect(readFilter).not.toHaveBeenCalled();
    expect(await slowCount('find')).toBe(0);
    expect(await observed('find')).toBe(1);
  });

  it('flags a failed command with its error code, never its message', () => {
    const { client } = makeMonitor();
    const failure = Object.assign(new Error('E11000 duplicate key: { email: "a@b.test" }'), {
      code: 11000,
    });

    client.fail(client.start({ insert: 'users', documents: [{}] }), 'insert', 250, failure);

    expect(warn).toHaveBeenCalledWith({
      msg: 'slow MongoDB command',
      command: 'insert',
      collection: 'users',
      documents: 1,
      durationMs: 250,
      failed: true,
      errorCode: 11000,
    });
  });

  it('ignores handshakes, pings and the health probes, and labels unknown commands `other`', async () => {
    const { client, observed } = makeMonitor({ slowOperationMs: 0 });

    client.succeed(client.start({ hello: 1 }), 'hello', 5);
    client.succeed(client.start({ ping: 1 }), 'ping', 5);
    client.succeed(client.start({ update: 'healthProbes', updates: [] }), 'update', 5);
    client.succeed(client.start({ replSetGetStatus: 1 }), 'replSetGetStatus', 5);

    expect(await observed('hello')).toBe(0);
    expect(await observed('update')).toBe(0);
    expect(await observed('other')).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ command: 'replSetGetStatus' }));
  });

  it('never throws into the driver, even on a document it cannot read', () => {
    const { client } = makeMonitor({ slowOperationMs: 0 });
    const command = { find: 'leads' };
    Object.defineProperty(command, 'filter', {
      get: () => {
        throw new Error('unreadable');
      },
    });

    expect(() => client.succeed(client.start(command), 'find', 1)).not.toThrow();
  });

  it('forgets the oldest of more than 10,000 unanswered commands', async () => {
    const { client, observed } = makeMonitor();
    const first = client.start({ find: 'leads' });
    for (let i = 0; i < 10_000; i += 1) client.start({ find: 'leads' });
    const last = client.start({ find: 'leads' });

    client.succeed(first, 'find', 1);
    expect(await observed('find')).toBe(0);
    client.succeed(last, 'find', 1);
    expect(await observed('find')).toBe(1);
  });

  it('stops listening when the module is destroyed', async () => {
    const { sut, client, observed } = makeMonitor();

    sut.onModuleDestroy();
    client.succeed(client.start({ find: 'leads' }), 'find', 500);

    expect(client.listenerCount('commandStarted')).toBe(0);
    expect(await observed('find')).toBe(0);
  });
});
