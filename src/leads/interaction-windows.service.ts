import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';

import { UNCLAIMED_GRACE_MS, windowStart } from './interaction-windows.util';
import { InteractionWindow } from './schemas/interaction-window.schema';

/**
 * Width of a window: a call opening a new one waits for one marker upsert, so at a steady flow
 * one call in a window pays it; a writer that dies leaves the sweep this much of the log to read.
 */
export const WINDOW_MS = 5_000;
/** This process, as markers name it: hostname and pid for support, random so a restarted
 * container (same hostname, pid 1) never takes over the markers of the process before it. */
export const WRITER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** The marker of a writer's window: one `_id` per (writer, window start). */
export function windowMarkerId(writer: string, from: number): Types.ObjectId {
  return derivedObjectId('interaction-window', writer, String(from));
}

interface OpenWindow {
  /** Calls of this window whose events are not all applied yet. */
  calls: number;
  /** A call left events unapplied: the marker stays for the sweeper. */
  abandoned: boolean;
  readonly stored: Promise<void>;
}

/** What a call stores its events under: their `receivedAt`, inside the window whose marker is stored. */
export interface WindowTicket {
  readonly window: number;
  readonly receivedAt: Date;
}

/**
 * The markers of the time windows this process stores interactions in (see InteractionWindow).
 * A call opens the current window before storing its events (`open`), and says once they are all
 * applied (`settle`) or that some are not (`abandon`). A window that is over and whose calls all
 * settled loses its marker (`closeSettled`, every WINDOW_MS): the sweep never reads its events.
 */
@Injectable()
export class InteractionWindows implements OnModuleDestroy {
  private readonly logger = new Logger(InteractionWindows.name);
  private readonly windows = new Map<number, OpenWindow>();
  private readonly timer: NodeJS.Timeout;
  private closing?: Promise<void>;

  constructor(
    @InjectModel(InteractionWindow.name) private readonly model: Model<InteractionWindow>,
  ) {
    this.timer = setInterval(() => void this.closeSettled(), WINDOW_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Windows of this process with calls in flight or a marker not yet removed (tests, metrics). */
  get openWindows(): number {
    return this.windows.size;
  }

  /**
   * Joins the current window, storing its marker first if this is its first call; the call's
   * events must be stored with the ticket's `receivedAt`. Rejects (and the call must not store
   * anything) when the marker cannot be stored.
   */
  async open(now = Date.now()): Promise<WindowTicket> {
    const from = windowStart(now, WINDOW_MS);
    let window = this.windows.get(from);
    if (!window) {
      const created: OpenWindow = { calls: 0, abandoned: false, stored: this.store(from) };
      window = created;
      this.windows.set(from, created);
      // A marker that could not be stored is tried again by the window's next call.
      created.stored.catch(() => {
        if (this.windows.get(from) === created && created.calls === 0) this.windows.delete(from);
      });
    }
    window.calls++;
    try {
      await window.stored;
    } catch (error) {
      window.calls--;
      if (this.windows.get(from) === window && window.calls === 0) this.windows.delete(from);
      throw error;
    }
    // A marker that took so long that its window nears the sweep's grace: the events go under the
    // window of now instead (a sweep may read this one before they land).
    const later = Date.now();
    if (later > from + WINDOW_MS + UNCLAIMED_GRACE_MS / 2) {
      this.settle(from);
      return this.open(later);
    }
    return { window: from, receivedAt: new Date(now) };
  }

  /** The call's events are all applied (receipted): its share of the marker is done. */
  settle(window: number): void {
    this.leave(window);
  }

  /**
   * Some of the call's events may be unapplied: the window's marker stays for the sweeper (stored
   * again, should a sweep have removed it since).
   */
  abandon(window: number): void {
    const open = this.leave(window);
    if (open) open.abandoned = true;
    this.store(window).catch((error: unknown) =>
      this.logger.error({
        msg: 'could not keep the marker of interactions left unapplied; a client retry applies them',
        window: new Date(window).toISOString(),
        error: String(error),
      }),
    );
  }

  /** One call of the window is done with it. A window it does not hold is a caller's bug: said. */
  private leave(window: number): OpenWindow | undefined {
    const open = this.windows.get(window);
    if (open && open.calls > 0) open.calls--;
    else
      this.logger.error({
        msg: 'a call left an interaction window it was not in; its marker stays for the sweep',
        window: new Date(window).toISOString(),
      });
    return open;
  }

  /**
   * Forgets the windows that are over and have no call in flight, removing the markers of those
   * whose calls all settled (abandoned ones stay for the sweeper). Also at shutdown, once the
   * backlog is applied.
   */
  async closeSettled(now = Date.now()): Promise<void> {
    // One at a time; a call during another's runs after it, with its own `now`.
    while (this.closing) await this.closing;
    this.closing = this.closeOnce(now).finally(() => (this.closing = undefined));
    return this.closing;
  }

  private async closeOnce(now: number): Promise<void> {
    const done: Types.ObjectId[] = [];
    for (const [from, window] of this.windows) {
      if (from + WINDOW_MS > now || window.calls > 0) continue;
      this.windows.delete(from);
      if (!window.abandoned) done.push(windowMarkerId(WRITER, from));
    }
    if (done.length === 0) return;
    try {
      await this.model.collection.deleteMany({ _id: { $in: done } });
    } catch (error) {
      // Left for the sweep, which finds their events applied and removes them.
      this.logger.warn({
        msg: 'could not remove settled interaction windows',
        error: String(error),
      });
    }
  }

  /** Markers of windows over before `before` (of every writer): the sweeper's work. */
  due(before: Date): Promise<InteractionWindow[]> {
    return this.model
      .find({ until: { $lte: before } })
      .sort({ from: 1 })
      .lean<InteractionWindow[]>()
      .exec();
  }

  async remove(ids: readonly Types.ObjectId[]): Promise<void> {
    if (ids.length > 0) await this.model.collection.deleteMany({ _id: { $in: [...ids] } });
  }

  private async store(from: number): Promise<void> {
    const _id = windowMarkerId(WRITER, from);
    await this.model.collection.updateOne(
      { _id },
      {
        $setOnInsert: {
          writer: WRITER,
          from: new Date(from),
          until: new Date(from + WINDOW_MS),
        },
      },
      { upsert: true },
    );
  }
}
