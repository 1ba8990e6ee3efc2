import { Types } from 'mongoose';
import { Registry } from 'prom-client';

import type { ConnectedAppConfig } from '@/config/app-config';
import type { MetricsService } from '@/metrics/metrics.service';

import type { ApplicableEvent, InteractionApplyService } from './interaction-apply.service';
import type { InteractionWindows } from './interaction-windows.service';
import { APPLIED_EVENTS_KEPT } from './engagement-delta.util';
import {
  APPLY_CHUNK,
  InteractionBacklog,
  LINGER_MAX_MS,
  LINGER_QUIET_MS,
} from './interaction-backlog.service';
import { InteractionType } from './schemas/interaction.schema';

/** `n` events, each of its own lead unless one is given. */
function events(n: number, lead?: Types.ObjectId): ApplicableEvent[] {
  return Array.from({ length: n }, () => ({
    _id: new Types.ObjectId(),
    leadRef: lead ?? new Types.ObjectId(),
    type: InteractionType.WEBSITE_VISIT,
    occurredAt: new Date(0),
    emailOpen: 0,
    visit: 1,
    secondsSpent: 1,
  }));
}

interface Call {
  tenantId: string;
  count: number;
}

/** A stand-in apply that records its calls and finishes each one when told to. */
function fakeApply(failures = 0) {
  const calls: Call[] = [];
  const pending: (() => void)[] = [];
  let failing = failures;
  const apply = {
    applyEvents: jest.fn(async (tenantId: string, applied: readonly ApplicableEvent[]) => {
      calls.push({ tenantId, count: applied.length });
      if (failing > 0) {
        failing--;
        throw new Error('engine away');
      }
      await new Promise<void>((resolve) => pending.push(resolve));
      return { applied: applied.length, leadsRescored: 1, leadMissing: 0 };
    }),
  };
  return {
    apply: apply as unknown as InteractionApplyService,
    calls,
    /** Finishes the applies under way. */
    finish: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

function backlogOf(apply: InteractionApplyService, backlogMax = 10_000) {
  const registry = new Registry();
  /** What the backlog told the windows, in order: `settle 1`, `abandon 2`, `close`. */
  const said: string[] = [];
  const windows = {
    settle: (window: number) => said.push(`settle ${window}`),
    abandon: (window: number) => said.push(`abandon ${window}`),
    closeSettled: () => {
      said.push('close');
      return Promise.resolve();
    },
  };
  const backlog = new InteractionBacklog(
    apply,
    { registry } as unknown as MetricsService,
    {
      ingestion: { backlogMax },
    } as ConnectedAppConfig,
    windows as unknown as InteractionWindows,
  );
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
    return (metric.values as { value: number; labels: Record<string, string> }[]).find((v) =>
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    )?.value;
  };
  return { backlog, value, said };
}

/** Lets the microtasks and timers due so far run. */
async function settle(ms = 0): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('InteractionBacklog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits for a pause in the calls, then applies a tenant’s queued calls together', async () => {
    const fake = fakeApply();
    const { backlog, value } = backlogOf(fake.apply);
    await backlog.enqueue('t1', events(300));
    await settle(LINGER_QUIET_MS - 10);
    await backlog.enqueue('t1', events(200));
    await settle(LINGER_QUIET_MS - 10);
    expect(fake.calls).toEqual([]);
    expect(backlog.size).toBe(500);
    expect(await value('leadscoring_interactions_backlog')).toBe(500);
    await settle(20);
    expect(fake.calls).toEqual([{ tenantId: 't1', count: 500 }]);
    fake.finish();
    await settle();
    expect(backlog.size).toBe(0);
    expect(await value('leadscoring_interactions_backlog')).toBe(0);
    expect(
      await value('leadscoring_interactions_backlog_events_total', { outcome: 'applied' }),
    ).toBe(500);
  });

  it('starts once the oldest event has waited LINGER_MAX_MS, however busy the calls', async () => {
    const fake = fakeApply();
    const { backlog } = backlogOf(fake.apply);
    for (let waited = 0; waited < LINGER_MAX_MS; waited += LINGER_QUIET_MS / 2) {
      await backlog.enqueue('t1', events(10));
      await settle(LINGER_QUIET_MS / 2);
    }
    expect(fake.calls).toHaveLength(1);
  });

  it('takes calls first logged first, a chunk of one tenant at a time, up to APPLY_CHUNK', async () => {
    const fake = fakeApply();
    const { backlog } = backlogOf(fake.apply, 100_000);
    await backlog.enqueue('t1', events(APPLY_CHUNK - 100));
    await backlog.enqueue('t2', events(50));
    await backlog.enqueue('t1', events(100));
    await backlog.enqueue('t1', events(1));
    await settle(LINGER_QUIET_MS);
    expect(fake.calls).toEqual([{ tenantId: 't1', count: APPLY_CHUNK }]);
    fake.finish();
    await settle();
    expect(fake.calls.slice(1)).toEqual([{ tenantId: 't2', count: 50 }]);
    fake.finish();
    await settle();
    expect(fake.calls.slice(2)).toEqual([{ tenantId: 't1', count: 1 }]);
    fake.finish();
    await settle();
    expect(backlog.size).toBe(0);
  });

  it('takes at most APPLIED_EVENTS_KEPT events of one lead a chunk, the rest in the next', async () => {
    const fake = fakeApply();
    const { backlog } = backlogOf(fake.apply);
    const lead = new Types.ObjectId();
    const first = events(APPLIED_EVENTS_KEPT + 50, lead);
    await backlog.enqueue('t1', [...first, ...events(10)]);
    const queued = first[APPLIED_EVENTS_KEPT + 10];
    expect(backlog.holds(queued._id.toHexString())).toBe(true);
    await settle(LINGER_QUIET_MS);
    expect(fake.calls).toEqual([{ tenantId: 't1', count: APPLIED_EVENTS_KEPT + 10 }]);
    expect(fake.apply.applyEvents).toHaveBeenLastCalledWith(
      't1',
      expect.arrayContaining([expect.objectContaining({ leadRef: lead })]),
      expect.anything(),
    );
    fake.finish();
    await settle();
    expect(fake.calls.slice(1)).toEqual([{ tenantId: 't1', count: 50 }]);
    fake.finish();
    await settle();
    expect(backlog.size).toBe(0);
    expect(backlog.holds(queued._id.toHexString())).toBe(false);
  });

  it('makes a call wait for room past the bound, and applies at once for it', async () => {
    const fake = fakeApply();
    const { backlog } = backlogOf(fake.apply, 1_000);
    await backlog.enqueue('t1', events(800));
    let admitted = false;
    const second = backlog.enqueue('t1', events(300)).then(() => (admitted = true));
    await settle();
    // No linger: a call is waiting for room.
    expect(fake.calls).toEqual([{ tenantId: 't1', count: 800 }]);
    expect(admitted).toBe(false);
    fake.finish();
    await second;
    expect(backlog.size).toBe(300);
    // A first call larger than the bound is admitted into an empty backlog.
    await settle(LINGER_QUIET_MS);
    fake.finish();
    await settle();
    await backlog.enqueue('t1', events(1_500));
    expect(backlog.size).toBe(1_500);
  });

  it('tries a failing chunk again, then leaves it to the sweeper and goes on', async () => {
    const fake = fakeApply(3);
    const { backlog, value, said } = backlogOf(fake.apply);
    await backlog.enqueue('t1', events(5), 1);
    await backlog.enqueue('t2', events(7), 2);
    await settle(LINGER_QUIET_MS);
    await settle(10_000);
    expect(fake.calls.map((call) => call.tenantId)).toEqual(['t1', 't1', 't1', 't2']);
    fake.finish();
    await settle();
    expect(backlog.size).toBe(0);
    expect(
      await value('leadscoring_interactions_backlog_events_total', { outcome: 'left_to_sweeper' }),
    ).toBe(5);
    expect(
      await value('leadscoring_interactions_backlog_events_total', { outcome: 'applied' }),
    ).toBe(7);
    // The failed call's window keeps its marker for the sweep; the applied one's goes.
    expect(said).toEqual(['abandon 1', 'settle 2']);
  });

  it('settles a call’s window once its last chunk is applied, abandons it if one is not', async () => {
    const fake = fakeApply();
    const { backlog, said } = backlogOf(fake.apply);
    // A lead's events past APPLIED_EVENTS_KEPT wait for the next chunk: the call spans two.
    const lead = new Types.ObjectId();
    await backlog.enqueue('t1', events(APPLIED_EVENTS_KEPT + 10, lead), 7);
    await settle(LINGER_QUIET_MS);
    expect(fake.calls).toEqual([{ tenantId: 't1', count: APPLIED_EVENTS_KEPT }]);
    fake.finish();
    await settle();
    expect(said).toEqual([]);
    expect(fake.calls).toHaveLength(2);
    fake.finish();
    await settle();
    expect(said).toEqual(['settle 7']);

    // Its first chunk failing three times, the second applied: still abandoned.
    const failing = fakeApply(3);
    const second = backlogOf(failing.apply);
    await second.backlog.enqueue('t1', events(APPLIED_EVENTS_KEPT + 10, lead), 8);
    await settle(LINGER_QUIET_MS);
    await settle(10_000);
    failing.finish();
    await settle();
    expect(failing.calls.map((call) => call.count)).toEqual([
      APPLIED_EVENTS_KEPT,
      APPLIED_EVENTS_KEPT,
      APPLIED_EVENTS_KEPT,
      10,
    ]);
    expect(second.said).toEqual(['abandon 8']);
  });

  it('flush applies without lingering; shutdown flushes what is queued', async () => {
    const fake = fakeApply();
    const { backlog, said } = backlogOf(fake.apply);
    await backlog.enqueue('t1', events(3));
    const flushed = backlog.flush();
    await settle();
    expect(fake.calls).toHaveLength(1);
    fake.finish();
    await flushed;
    expect(backlog.size).toBe(0);

    await backlog.enqueue('t2', events(4));
    const shutdown = backlog.beforeApplicationShutdown();
    await settle();
    fake.finish();
    await shutdown;
    expect(fake.calls.slice(1)).toEqual([{ tenantId: 't2', count: 4 }]);
    // Then the markers of the windows over and settled.
    expect(said).toEqual(['close']);
  });

  it('never strands a call queued while the apply loop was ending', async () => {
    const fake = fakeApply();
    const { backlog } = backlogOf(fake.apply, 100);
    await backlog.enqueue('t1', events(100));
    // Waits for room; woken by the loop's last chunk, it queues after the loop saw it empty.
    const waiting = backlog.enqueue('t1', events(50));
    await settle();
    fake.finish();
    await waiting;
    await settle(LINGER_QUIET_MS);
    expect(fake.calls).toEqual([
      { tenantId: 't1', count: 100 },
      { tenantId: 't1', count: 50 },
    ]);
    fake.finish();
    await settle();
    expect(backlog.size).toBe(0);
  });
});
