import type { ConfigFormValues } from './formValues';
import { parseNumber, validateConfig } from './validateConfig';

/** The deployment defaults: weights 0.4/0.35/0.25, caps 10/20/600 s, half-life 7, 70/40. */
const valid = (): ConfigFormValues => ({
  weights: { emailOpens: '0.4', websiteVisits: '0.35', timeSpent: '0.25' },
  caps: { emailOpens: '10', websiteVisits: '20', timeSpent: '600' },
  halfLifeDays: '7',
  hot: '70',
  warm: '40',
});

const withValues = (patch: (v: ConfigFormValues) => void): ConfigFormValues => {
  const values = valid();
  patch(values);
  return values;
};

describe('parseNumber', () => {
  it.each([
    ['0.25', 0.25],
    [' 7 ', 7],
    ['-1', -1],
    ['1e2', 100],
    ['', null],
    ['   ', null],
    ['abc', null],
    ['Infinity', null],
  ])('%j → %j', (raw, expected) => {
    expect(parseNumber(raw)).toBe(expected);
  });
});

describe('validateConfig', () => {
  it('accepts the defaults and builds the API input from them', () => {
    const result = validateConfig(valid());
    expect(result.valid).toBe(true);
    expect(result.errors).toEqual({});
    expect(result.input).toEqual({
      weights: { emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 },
      caps: { emailOpens: 10, websiteVisits: 20, timeSpent: 600 },
      halfLifeDays: 7,
      thresholds: { hot: 70, warm: 40 },
    });
  });

  it('accepts a zero weight when another is positive (0 + 0 + 1 > 0)', () => {
    const result = validateConfig(
      withValues((v) => {
        v.weights = { emailOpens: '0', websiteVisits: '0', timeSpent: '1' };
      }),
    );
    expect(result.valid).toBe(true);
  });

  it('refuses weights that sum to 0 (0 + 0 + 0)', () => {
    const result = validateConfig(
      withValues((v) => {
        v.weights = { emailOpens: '0', websiteVisits: '0', timeSpent: '0' };
      }),
    );
    expect(result.valid).toBe(false);
    expect(Object.keys(result.errors)).toEqual(['weights']);
    expect(result.errors.weights).toMatch(/more than 0/);
  });

  it('refuses a negative weight, and leaves the sum rule to the fields then', () => {
    const result = validateConfig(
      withValues((v) => {
        v.weights = { emailOpens: '-0.5', websiteVisits: '0', timeSpent: '0' };
      }),
    );
    expect(result.errors).toEqual({
      'weights.emailOpens': 'Email opens weight must be 0 or more.',
    });
  });

  it('refuses caps of 0 or below (division by the cap)', () => {
    const result = validateConfig(
      withValues((v) => {
        v.caps = { emailOpens: '0', websiteVisits: '-3', timeSpent: '0.5' };
      }),
    );
    expect(result.errors).toEqual({
      'caps.emailOpens': 'Email opens cap must be greater than 0.',
      'caps.websiteVisits': 'Website visits cap must be greater than 0.',
    });
  });

  it.each([
    ['0', /greater than 0/],
    ['-2', /greater than 0/],
    ['0.0005', /greater than 0/],
    ['3651', /at most 3650/],
  ])('refuses a half-life of %s days', (halfLife, message) => {
    const result = validateConfig(withValues((v) => (v.halfLifeDays = halfLife)));
    expect(result.errors.halfLifeDays).toMatch(message);
  });

  it.each(['0.001', '0.5', '3650'])('accepts a half-life of %s days', (halfLife) => {
    expect(validateConfig(withValues((v) => (v.halfLifeDays = halfLife))).valid).toBe(true);
  });

  it('needs warm below hot: 70/70 and 80/70 are refused, 69.9/70 and 0/100 accepted', () => {
    const at = (hot: string, warm: string) =>
      validateConfig(
        withValues((v) => {
          v.hot = hot;
          v.warm = warm;
        }),
      );
    expect(at('70', '70').errors).toEqual({
      thresholds: 'The warm threshold must be below the hot threshold.',
    });
    expect(at('70', '80').errors.thresholds).toBeDefined();
    expect(at('70', '69.9').valid).toBe(true);
    expect(at('100', '0').valid).toBe(true);
  });

  it('keeps thresholds within 0 to 100', () => {
    const result = validateConfig(
      withValues((v) => {
        v.hot = '101';
        v.warm = '-1';
      }),
    );
    expect(result.errors).toEqual({
      'thresholds.hot': 'Hot threshold must be from 0 to 100.',
      'thresholds.warm': 'Warm threshold must be from 0 to 100.',
    });
  });

  it('reports every problem at once', () => {
    const result = validateConfig({
      weights: { emailOpens: '', websiteVisits: '0', timeSpent: '0' },
      caps: { emailOpens: '0', websiteVisits: '20', timeSpent: 'x' },
      halfLifeDays: '0',
      hot: '40',
      warm: '70',
    });
    expect(result.valid).toBe(false);
    expect(result.input).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual([
      'caps.emailOpens',
      'caps.timeSpent',
      'halfLifeDays',
      'thresholds',
      'weights.emailOpens',
    ]);
    expect(result.errors['weights.emailOpens']).toBe('Enter a number.');
  });
});
