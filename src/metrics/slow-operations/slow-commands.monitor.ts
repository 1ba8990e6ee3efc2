import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';

import { APP_CONFIG } from '@/config/app-config';
import type { AppConfig } from '@/config/app-config';
import { HEALTH_PROBES_COLLECTION } from '@/health/write-read-checks';

import { describeCommand } from './describe-command.util';
import { SlowOperationMetrics } from './slow-operation.metrics';

/** Handshake, monitoring and authentication: noise, whatever their duration. */
const IGNORED_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'endSessions',
  'hostInfo',
  'serverStatus',
  'getParameter',
  'saslStart',
  'saslContinue',
  'authenticate',
  'getnonce',
  'logout',
]);
/** Collections whose commands are noise (health probes run every few seconds). */
const IGNORED_COLLECTIONS = new Set([HEALTH_PROBES_COLLECTION]);

/** The `command` label's values; any other command counts as `other`. */
const COMMAND_LABELS = new Set([
  'find',
  'getMore',
  'aggregate',
  'count',
  'distinct',
  'findAndModify',
  'insert',
  'update',
  'delete',
  'bulkWrite',
  'killCursors',
  'createIndexes',
  'listIndexes',
  'dropIndexes',
  'listCollections',
  'create',
  'drop',
  'dropDatabase',
  'collMod',
  'commitTransaction',
  'abortTransaction',
  'explain',
]);

/** Commands sent and not answered yet; past this, the oldest is forgotten (a reply never heard). */
const MAX_IN_FLIGHT = 10_000;

export function commandLabel(commandName: string): string {
  return COMMAND_LABELS.has(commandName) ? commandName : 'other';
}

/**
 * Listens to the driver's command monitoring (the connection is opened with `monitorCommands`):
 * every command's duration goes to a histogram, and a command that took at least SLOW_OPERATION_MS
 * is logged (`SlowOperation`, warn) with its collection and the shape of its filter, never a value,
 * and counted. Cheap while nothing is slow: the started command is kept by reference and read only
 * when its reply says it was slow.
 */
@Injectable()
export class SlowCommandsMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SlowOperation');
  private readonly thresholdMs: number;
  private readonly inFlight = new Map<number, mongo.Document>();
  private client: mongo.MongoClient | undefined;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: SlowOperationMetrics,
  ) {
    this.thresholdMs = config.slowOperationMs;
  }

  onModuleInit(): void {
    this.client = this.connection.getClient();
    if (!this.client.options.monitorCommands) {
      this.logger.warn({
        msg: 'MongoDB command monitoring is off (monitorCommands): slow commands are not logged',
      });
    }
    this.client.on('commandStarted', this.onStarted);
    this.client.on('commandSucceeded', this.onSucceeded);
    this.client.on('commandFailed', this.onFailed);
  }

  onModuleDestroy(): void {
    this.client?.off('commandStarted', this.onStarted);
    this.client?.off('commandSucceeded', this.onSucceeded);
    this.client?.off('commandFailed', this.onFailed);
    this.inFlight.clear();
  }

  // Listeners run inside the driver's send path: none may throw into it.
  private readonly onStarted = (event: mongo.CommandStartedEvent): void => {
    try {
      if (IGNORED_COMMANDS.has(event.commandName)) return;
      const target: unknown = event.command[event.commandName];
      if (typeof target === 'string' && IGNORED_COLLECTIONS.has(target)) return;
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        const oldest = this.inFlight.keys().next();
        if (!oldest.done) this.inFlight.delete(oldest.value);
      }
      this.inFlight.set(event.requestId, event.command);
    } catch {
      // Monitoring must never fail a command.
    }
  };

  private readonly onSucceeded = (event: mongo.CommandSucceededEvent): void => {
    this.finished(event, undefined);
  };

  private readonly onFailed = (event: mongo.CommandFailedEvent): void => {
    this.finished(event, event.failure);
  };

  private finished(
    event: mongo.CommandSucceededEvent | mongo.CommandFailedEvent,
    failure: Error | undefined,
  ): void {
    try {
      const command = this.inFlight.get(event.requestId);
      if (command === undefined) return;
      this.inFlight.delete(event.requestId);
      const label = commandLabel(event.commandName);
      const durationMs = Math.max(0, event.duration);
      this.metrics.mongoCommandDuration.observe({ command: label }, durationMs / 1000);
      if (durationMs < this.thresholdMs) return;
      this.metrics.countSlow('mongo', label);
      const errorCode = (failure as { code?: unknown } | undefined)?.code;
      this.logger.warn({
        msg: 'slow MongoDB command',
        command: event.commandName,
        ...describeCommand(event.commandName, command),
        durationMs,
        ...(failure ? { failed: true } : {}),
        ...(typeof errorCode === 'number' ? { errorCode } : {}),
      });
    } catch {
      // Monitoring must never fail a command.
    }
  }
}
