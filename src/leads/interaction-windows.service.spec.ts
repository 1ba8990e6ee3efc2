import type { Model, Types } from 'mongoose';

import { UNCLAIMED_GRACE_MS } from './interaction-windows.util';
import {
  InteractionWindows,
  WINDOW_MS,
  windowMarkerId,
  WRITER,
} from './interaction-windows.service';
import type { InteractionWindow } from './schemas/interaction-window.schema';

/** A stand-in collection: markers by id; upserts can be held or made to fail. */
function fakeModel() {
  const markers = new Map<string, { from: Date; until: Date }>();
  let failing = 0;
  const held: (() => void)[] = [];
  let holding = false;
  const upserts: string[] = [];
  const collection = {
    updateOne: jest.fn(
      async (
        filter: { _id: Types.ObjectId },
        update: { $setOnInsert: { from: Date; until: Date } },
      ) => {
        upserts.push(filter._id.toHexString());
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        if (failing > 0) {
          failing--;
          throw new Error('engine away');
        }
        if (!markers.has(filter._id.toHexString()))
          markers.set(filter._id.toHexString(), update.$setOnInsert);
      },
    ),
    deleteMany: jest.fn((filter: { _id: { $in: Types.ObjectId[] } }) => {
      for (const id of filter._id.$in) markers.delete(id.toHexString());
      return Promise.resolve();
    }),
  };
  return {
    model: { collection } as unknown as Model<InteractionWindow>,
    markers,
    upserts,
    fail: (n: number) => (failing = n),
    hold: () => (holding = true),
    release: () => {
      holding = false;
      held.splice(0).forEach((resolve) => resolve());
    },
  };
}

const T0 = 1_800_000_000_000; // a window start (a multiple of WINDOW_MS)
const marker = (from: number) => windowMarkerId(WRITER, from).toHexString();

describe('InteractionWindows', () => {
  let windows: InteractionWindows;
  afterEach(() => windows.onModuleDestroy());

  it('stores a window’s marker once, before any of its calls goes on, and answers its time', async () => {
    const fake = fakeModel();
    windows = new InteractionWindows(fake.model);
    fake.hold();
    const first = windows.open(T0 + 10);
    const second = windows.open(T0 + 20);
    let opened = false;
    void first.then(() => (opened = true));
    await Promise.resolve();
    expect(opened).toBe(false);
    fake.release();
    expect(await first).toEqual({ window: T0, receivedAt: new Date(T0 + 10) });
    expect(await second).toEqual({ window: T0, receivedAt: new Date(T0 + 20) });
    expect(fake.upserts).toEqual([marker(T0)]);
    expect(fake.markers.get(marker(T0))).toEqual({
      writer: WRITER,
      from: new Date(T0),
      until: new Date(T0 + WINDOW_MS),
    });
    // The next window has a marker of its own.
    await windows.open(T0 + WINDOW_MS);
    expect(fake.upserts).toEqual([marker(T0), marker(T0 + WINDOW_MS)]);
  });

  it('refuses a call whose marker could not be stored, and tries again for the next one', async () => {
    const fake = fakeModel();
    windows = new InteractionWindows(fake.model);
    fake.fail(1);
    await expect(windows.open(T0)).rejects.toThrow('engine away');
    await expect(windows.open(T0 + 1)).resolves.toMatchObject({ window: T0 });
    expect(fake.upserts).toEqual([marker(T0), marker(T0)]);
    expect(fake.markers.has(marker(T0))).toBe(true);
  });

  it('moves a call whose marker took past half the grace to the window of now', async () => {
    const fake = fakeModel();
    windows = new InteractionWindows(fake.model);
    fake.hold();
    const clock = jest.spyOn(Date, 'now');
    try {
      const opening = windows.open(T0);
      await Promise.resolve();
      const late = T0 + WINDOW_MS + UNCLAIMED_GRACE_MS / 2 + 1;
      clock.mockReturnValue(late);
      fake.release();
      const ticket = await opening;
      const from = late - (late % WINDOW_MS);
      expect(ticket).toEqual({ window: from, receivedAt: new Date(late) });
      expect(fake.upserts).toEqual([marker(T0), marker(from)]);
      // The first window was left (settled): its marker goes once closed.
      windows.settle(ticket.window);
      await windows.closeSettled(late + WINDOW_MS);
      expect(fake.markers.size).toBe(0);
    } finally {
      clock.mockRestore();
    }
  });

  it('removes a marker once its window is over and every call settled; not before', async () => {
    const fake = fakeModel();
    windows = new InteractionWindows(fake.model);
    const a = await windows.open(T0);
    const b = await windows.open(T0 + 1);
    windows.settle(a.window);
    await windows.closeSettled(T0 + WINDOW_MS); // over, but b is in flight
    expect(fake.markers.has(marker(T0))).toBe(true);
    windows.settle(b.window);
    await windows.closeSettled(T0 + WINDOW_MS - 1); // settled, but not over
    expect(fake.markers.has(marker(T0))).toBe(true);
    await windows.closeSettled(T0 + WINDOW_MS);
    expect(fake.markers.has(marker(T0))).toBe(false);
    expect(windows.openWindows).toBe(0);
  });

  it('keeps an abandoned window’s marker for the sweep, storing it again should a sweep have removed it', async () => {
    const fake = fakeModel();
    windows = new InteractionWindows(fake.model);
    const a = await windows.open(T0);
    const b = await windows.open(T0 + 1);
    fake.markers.clear(); // a sweep took it (the writer was slow)
    windows.abandon(a.window);
    windows.settle(b.window);
    await new Promise((resolve) => setImmediate(resolve));
    await windows.closeSettled(T0 + 2 * WINDOW_MS);
    expect(fake.markers.has(marker(T0))).toBe(true);
    expect(windows.openWindows).toBe(0);
  });
});
