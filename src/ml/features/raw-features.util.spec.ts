import {
  ENGAGEMENT_FEATURES,
  LeadFeatureSource,
  rawFeaturesOf,
  toRawValue,
} from './raw-features.util';

const AT = new Date('2026-03-10T12:00:00Z');

function lead(overrides: Partial<LeadFeatureSource> = {}): LeadFeatureSource {
  return {
    emailOpens: 3,
    websiteVisits: 0,
    timeSpentSeconds: 95.5,
    lastActivityAt: new Date('2026-03-08T00:00:00Z'),
    attributes: {},
    ...overrides,
  };
}

describe('rawFeaturesOf', () => {
  it('gives the engagement counts and the days since the last activity', () => {
    // 2026-03-08T00:00 → 2026-03-10T12:00 is 60 h = 2.5 days.
    expect(rawFeaturesOf(lead(), AT)).toEqual({
      emailOpens: 3,
      websiteVisits: 0,
      timeSpentSeconds: 95.5,
      daysSinceLastActivity: 2.5,
    });
    expect(Object.keys(rawFeaturesOf(lead(), AT))).toEqual([...ENGAGEMENT_FEATURES]);
  });

  it.each([
    // 10 h = 10/24 d = 0.41666666… → 0.416667 at six decimals.
    ['10 hours', 10 * 3_600_000, 0.416667],
    // 1 s = 1/86,400 d = 0.0000115740… → 0.000012.
    ['1 second', 1000, 0.000012],
    // 0.4 s = 0.0000046296… → 0.000005.
    ['0.4 seconds', 400, 0.000005],
    ['no time', 0, 0],
    // A future activity (clock skew) counts as now.
    ['−3 days', -3 * 86_400_000, 0],
  ])('rounds days since activity to 6 decimals: %s', (_label, elapsedMs, days) => {
    const lastActivityAt = new Date(AT.getTime() - elapsedMs);
    expect(rawFeaturesOf(lead({ lastActivityAt }), AT).daysSinceLastActivity).toBe(days);
  });

  it('has null days since activity when there was none, or the date is invalid', () => {
    expect(rawFeaturesOf(lead({ lastActivityAt: null }), AT).daysSinceLastActivity).toBeNull();
    const invalid = new Date('not a date');
    expect(rawFeaturesOf(lead({ lastActivityAt: invalid }), AT).daysSinceLastActivity).toBeNull();
  });

  it('takes non-finite counts as missing', () => {
    const features = rawFeaturesOf(
      lead({ emailOpens: NaN, websiteVisits: Infinity, timeSpentSeconds: -Infinity }),
      AT,
    );
    expect(features.emailOpens).toBeNull();
    expect(features.websiteVisits).toBeNull();
    expect(features.timeSpentSeconds).toBeNull();
  });

  it('normalizes attribute scalars', () => {
    const features = rawFeaturesOf(
      lead({
        attributes: {
          job: '  admin.  ',
          notes: '   ',
          age: 41,
          ratio: -0.5,
          score: NaN,
          big: Infinity,
          vip: true,
          churned: false,
          gone: null,
          unset: undefined,
          signedUp: new Date('2025-01-02T03:04:05.000Z'),
        },
      }),
      AT,
    );
    expect(features).toEqual({
      emailOpens: 3,
      websiteVisits: 0,
      timeSpentSeconds: 95.5,
      daysSinceLastActivity: 2.5,
      job: 'admin.',
      notes: null,
      age: 41,
      ratio: -0.5,
      score: null,
      big: null,
      vip: true,
      churned: false,
      gone: null,
      unset: null,
      signedUp: '2025-01-02T03:04:05.000Z',
    });
  });

  it('flattens nested objects to three levels, then writes JSON; arrays are JSON', () => {
    const features = rawFeaturesOf(
      lead({
        attributes: {
          address: { city: ' Porto ', geo: { lat: 41.1, lng: -8.6, extra: { deep: 1 } } },
          tags: ['a', 'b'],
          empty: {},
        },
      }),
      AT,
    );
    expect(features['address.city']).toBe('Porto');
    expect(features['address.geo.lat']).toBe(41.1);
    expect(features['address.geo.lng']).toBe(-8.6);
    // `address.geo.extra` already has three parts: its object is not taken apart.
    expect(features['address.geo.extra']).toBe('{"deep":1}');
    expect(features.tags).toBe('["a","b"]');
    // An empty object has nothing to flatten into.
    expect(Object.keys(features).filter((key) => key.startsWith('empty'))).toEqual([]);
  });

  it('moves an attribute named like an engagement feature to attributes.<name>', () => {
    const features = rawFeaturesOf(
      lead({ attributes: { emailOpens: 12, daysSinceLastActivity: 'x' } }),
      AT,
    );
    expect(features.emailOpens).toBe(3);
    expect(features['attributes.emailOpens']).toBe(12);
    expect(features.daysSinceLastActivity).toBe(2.5);
    expect(features['attributes.daysSinceLastActivity']).toBe('x');
  });

  it('resolves names reached by two paths the same way whatever the key order', () => {
    // `a.b` is written directly (depth 1) and by flattening (depth 2): the shallower one wins.
    // `attributes.emailOpens` is the renamed `emailOpens` (depth 1) and a nested one (depth 2).
    const one = rawFeaturesOf(
      lead({
        attributes: { 'a.b': 1, a: { b: 2 }, attributes: { emailOpens: 7 }, emailOpens: 12 },
      }),
      AT,
    );
    const other = rawFeaturesOf(
      lead({
        attributes: { emailOpens: 12, attributes: { emailOpens: 7 }, a: { b: 2 }, 'a.b': 1 },
      }),
      AT,
    );
    expect(one['a.b']).toBe(1);
    expect(one['attributes.emailOpens']).toBe(12);
    expect(other).toEqual(one);
  });

  it('keeps a key named __proto__ (or constructor) as an own feature', () => {
    const attributes = JSON.parse(
      '{"__proto__": " polluted ", "constructor": 5, "nested": {"__proto__": 1}}',
    ) as Record<string, unknown>;
    const features = rawFeaturesOf(lead({ attributes }), AT);
    expect(Object.hasOwn(features, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(features, '__proto__')?.value).toBe('polluted');
    expect(features.constructor).toBe(5);
    expect(features['nested.__proto__']).toBe(1);
    expect(Object.getPrototypeOf(features)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('toRawValue', () => {
  it.each([
    [0, 0],
    [-2.5, -2.5],
    [NaN, null],
    [-Infinity, null],
    ['  x ', 'x'],
    ['', null],
    [true, true],
    [null, null],
    [undefined, null],
    [BigInt(12), 12],
    [() => 1, null],
  ])('%p → %p', (value, expected) => {
    expect(toRawValue(value)).toBe(expected);
  });

  it('writes objects that serialise as a string as that string, and a cycle as null', () => {
    expect(toRawValue({ toJSON: () => ' 65f0c0ffee ' })).toBe('65f0c0ffee');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(toRawValue(cycle)).toBeNull();
  });
});
