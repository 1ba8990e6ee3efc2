import { createHash } from 'node:crypto';
import { insightCacheKey, InsightCacheKeyParts } from './insight-cache-key';

const parts: InsightCacheKeyParts = {
  tenantId: 'tenant-1',
  leadId: 'lead-1',
  lastActivityAt: '2026-05-31T12:00:00.000Z',
  modelId: 'weighted-sum',
  modelVersion: 1,
  configVersion: 2,
  promptVersion: 'insight-v1',
  model: 'gpt-4o-mini',
};

describe('insightCacheKey', () => {
  it('is the sha256 hex of the canonical encoding', () => {
    const expected = createHash('sha256')
      .update(
        JSON.stringify([
          'lead-insight-key:1',
          'tenant-1',
          'lead-1',
          '2026-05-31T12:00:00.000Z',
          'weighted-sum',
          '1',
          '2',
          'insight-v1',
          'gpt-4o-mini',
          null,
          null,
        ]),
      )
      .digest('hex');
    expect(insightCacheKey(parts)).toBe(expected);
    expect(insightCacheKey(parts)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable: the same state gives the same key, whatever the key order', () => {
    const reordered = Object.fromEntries(
      Object.entries(parts).reverse(),
    ) as unknown as InsightCacheKeyParts;
    expect(insightCacheKey({ ...parts })).toBe(insightCacheKey(parts));
    expect(insightCacheKey(reordered)).toBe(insightCacheKey(parts));
  });

  it('counts a date by its instant', () => {
    expect(insightCacheKey({ ...parts, lastActivityAt: '2026-05-31T12:00:00Z' })).toBe(
      insightCacheKey(parts),
    );
    expect(insightCacheKey({ ...parts, lastActivityAt: '2026-05-31T14:00:00+02:00' })).toBe(
      insightCacheKey(parts),
    );
  });

  it('changes with every field', () => {
    const changes: Partial<InsightCacheKeyParts>[] = [
      { tenantId: 'tenant-2' },
      { leadId: 'lead-2' },
      { lastActivityAt: '2026-05-31T12:00:00.001Z' },
      { lastActivityAt: null },
      { modelId: 'model-7' },
      { modelVersion: 2 },
      { configVersion: 3 },
      { promptVersion: 'insight-v2' },
      { model: 'gpt-4o' },
    ];
    const keys = new Set([insightCacheKey(parts)]);
    for (const change of changes) keys.add(insightCacheKey({ ...parts, ...change }));
    expect(keys.size).toBe(changes.length + 1);
  });

  it('cannot be fooled by moving text between fields', () => {
    expect(insightCacheKey({ ...parts, tenantId: 'a', leadId: 'bc' })).not.toBe(
      insightCacheKey({ ...parts, tenantId: 'ab', leadId: 'c' }),
    );
    expect(insightCacheKey({ ...parts, lastActivityAt: null })).not.toBe(
      insightCacheKey({ ...parts, lastActivityAt: 'null' }),
    );
  });
});

describe('insightCacheKey: status and tier', () => {
  const base = {
    tenantId: 't1',
    leadId: 'L-1',
    lastActivityAt: '2026-12-01T10:00:00Z',
    modelId: 'weighted-sum',
    modelVersion: 1,
    configVersion: 1,
    promptVersion: 'insight-v1',
    model: 'gpt-4o-mini',
  };

  it('changes when the lead is closed or moves to another tier without new activity', () => {
    const open = insightCacheKey({ ...base, status: 'WORKING', tier: 'HOT' });
    expect(insightCacheKey({ ...base, status: 'CONVERTED', tier: 'HOT' })).not.toBe(open);
    expect(insightCacheKey({ ...base, status: 'WORKING', tier: 'WARM' })).not.toBe(open);
    expect(insightCacheKey({ ...base, status: 'WORKING', tier: 'HOT' })).toBe(open);
  });

  it("changes with what the tenant's settings let through", () => {
    const all = insightCacheKey({ ...base, fields: 'aaaa' });
    expect(insightCacheKey({ ...base, fields: 'bbbb' })).not.toBe(all);
    expect(insightCacheKey({ ...base, fields: 'aaaa' })).toBe(all);
  });
});
