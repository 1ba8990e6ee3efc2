import { LoggerService } from '@nestjs/common';

import { LogLevel } from '@/config/app-config';

import { currentRequestId } from './request-context';

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, log: 2, debug: 3, verbose: 4 };
const LEVEL_NAME: Record<LogLevel, string> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export interface JsonLoggerOptions {
  readonly level: LogLevel;
  readonly base?: Record<string, unknown>;
  /** Where lines go; stdout by default. Tests pass their own sink. */
  readonly write?: (line: string) => void;
}

/**
 * One JSON object per line: time, level, context, message, the current request id when there is
 * one, and any structured fields passed as the message object.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;
  private readonly write: (line: string) => void;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = SEVERITY[options.level];
    this.write = options.write ?? ((line) => process.stdout.write(line + '\n'));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest, 'fatal');
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[], name?: string): void {
    if (SEVERITY[level] > this.threshold) return;
    // Nest passes (message, context) or, for errors, (message, stack, context).
    const args = [...rest];
    const context = typeof args.at(-1) === 'string' ? (args.pop() as string) : undefined;
    const stack =
      level === 'error' && typeof args[0] === 'string' ? (args.shift() as string) : undefined;

    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: name ?? LEVEL_NAME[level],
      ...this.options.base,
    };
    if (context) entry.context = context;
    const requestId = currentRequestId();
    if (requestId) entry.requestId = requestId;

    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    if (stack) entry.stack = stack;
    this.write(safeStringify(entry));
  }
}

function safeStringify(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry);
  } catch {
    return JSON.stringify({ time: entry.time, level: entry.level, msg: String(entry.msg) });
  }
}
