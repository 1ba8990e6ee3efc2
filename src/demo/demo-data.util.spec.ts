import { buildDemoData, LEADS_PER_REP } from './demo-data.util';

describe('buildDemoData', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('is the same on every run: 100 leads per rep with unique idempotency keys', () => {
    const first = buildDemoData(now, 3);
    const second = buildDemoData(now, 3);

    expect(first).toEqual(second);
    expect(first.leads).toHaveLength(3 * LEADS_PER_REP);
    expect(new Set(first.interactions.map((i) => i.idempotencyKey)).size).toBe(
      first.interactions.length,
    );
  });

  it('varies the patterns: recent, older and silent leads', () => {
    const { leads, interactions } = buildDemoData(now, 3);
    const withEvents = new Set(interactions.map((i) => i.leadId));
    const ages = interactions.map((i) => (now.getTime() - i.occurredAt.getTime()) / 86_400_000);

    expect(withEvents.size).toBeLessThan(leads.length);
    expect(Math.min(...ages)).toBeLessThan(1);
    expect(Math.max(...ages)).toBeGreaterThan(25);
    expect(ages.every((age) => age >= 0)).toBe(true);
  });
});
