import { describe, expect, it } from '@jest/globals';

import { ingestionEvents } from './ingestion.util';

describe('ingestionEvents', () => {
  const leads = ['L-0', 'L-1', 'L-2'];

  it('gives n events over the leads in turn, half visits with seconds, half email opens', () => {
    const events = ingestionEvents(leads, 0, 4, Date.parse('2026-12-04T12:00:00Z'));
    expect(events.map((event) => event.leadId)).toEqual(['L-0', 'L-1', 'L-2', 'L-0']);
    expect(events.map((event) => event.type)).toEqual([
      'WEBSITE_VISIT',
      'EMAIL_OPEN',
      'WEBSITE_VISIT',
      'EMAIL_OPEN',
    ]);
    expect(events[0]).toMatchObject({ secondsSpent: 30, occurredAt: '2026-12-04T12:00:00.000Z' });
    expect(events[1].secondsSpent).toBeUndefined();
    expect(events[1].occurredAt).toBe('2026-12-04T11:59:59.000Z');
  });

  it('never repeats a key across rounds (each event is new to the log), and moves on through the leads', () => {
    const first = ingestionEvents(leads, 0, 2);
    const second = ingestionEvents(leads, 1, 2);
    const keys = [...first, ...second].map((event) => event.idempotencyKey);
    expect(new Set(keys).size).toBe(4);
    expect(second.map((event) => event.leadId)).toEqual(['L-2', 'L-0']);
  });
});
