import {
  checkField,
  checkParams,
  defaultParams,
  describeProblems,
  refuseProblems,
  NOT_AN_OBJECT,
  ParamSpecs,
  refuseInvalidParams,
  UNKNOWN_PARAMETER,
} from './param-checks.util';

interface Example {
  readonly rate: number;
  readonly count: number;
  readonly depth: number | null;
  readonly mode: 'FAST' | 'SLOW';
}

const SPECS: ParamSpecs<Example> = {
  rate: { kind: 'number', above: 0, atMost: 1, default: 0.5 },
  count: { kind: 'integer', min: 1, max: 10, default: 3 },
  depth: { kind: 'integer', min: 1, nullable: true, default: null },
  mode: { kind: 'enum', values: ['FAST', 'SLOW'], default: 'FAST' },
};

describe('checkField', () => {
  it('checks a finite number against its bounds and says which', () => {
    const between = { kind: 'number', above: 0, atMost: 1, default: 0.5 } as const;
    expect([0.001, 1].map((v) => checkField(between, v))).toEqual([null, null]);
    for (const bad of [0, 1.5, NaN, Infinity, '0.5', null, true]) {
      expect(checkField(between, bad)).toBe('must be a number > 0 and ≤ 1');
    }
    const atLeast = { kind: 'number', atLeast: 0, default: 0 } as const;
    expect(checkField(atLeast, 0)).toBeNull();
    expect(checkField(atLeast, -1e-9)).toBe('must be a number ≥ 0');
    expect(checkField({ kind: 'number', above: 0, default: 1 }, 0)).toBe('must be a number > 0');
    expect(checkField({ kind: 'number', default: 1 }, -Infinity)).toBe('must be a number');
  });

  it('checks an integer in its range, a missing bound being the safe-integer limit', () => {
    const range = { kind: 'integer', min: 2, max: 100, default: 10 } as const;
    expect([2, 100].map((v) => checkField(range, v))).toEqual([null, null]);
    for (const bad of [1, 101, 2.5, Infinity, '10', null]) {
      expect(checkField(range, bad)).toBe('must be an integer from 2 to 100');
    }
    const atLeast = { kind: 'integer', min: 1, default: 1 } as const;
    expect(checkField(atLeast, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(checkField(atLeast, Number.MAX_SAFE_INTEGER + 1)).toBe('must be an integer ≥ 1');
    expect(checkField(atLeast, 0)).toBe('must be an integer ≥ 1');
    expect(checkField({ kind: 'integer', max: 5, default: 0 }, 6)).toBe('must be an integer ≤ 5');
    const any = { kind: 'integer', default: 0 } as const;
    expect(checkField(any, -Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(checkField(any, 2 ** 53)).toBe('must be an integer');
    expect(checkField(any, 1.5)).toBe('must be an integer');
  });

  it('checks an enum by exact string', () => {
    const mode = SPECS.mode;
    expect(checkField(mode, 'SLOW')).toBeNull();
    for (const bad of ['slow', 'MEDIUM', 1, null]) {
      expect(checkField(mode, bad)).toBe('must be one of FAST, SLOW');
    }
  });

  it('takes null only for a nullable field, and keeps its message for other values', () => {
    expect(checkField(SPECS.depth, null)).toBeNull();
    expect(checkField(SPECS.depth, 0)).toBe('must be an integer ≥ 1');
    expect(checkField(SPECS.count, null)).toBe('must be an integer from 1 to 10');
  });
});

describe('defaultParams', () => {
  it('collects the defaults in the specs’ order, frozen', () => {
    const defaults = defaultParams(SPECS);
    expect(JSON.stringify(defaults)).toBe('{"rate":0.5,"count":3,"depth":null,"mode":"FAST"}');
    expect(Object.isFrozen(defaults)).toBe(true);
  });
});

describe('checkParams', () => {
  const defaults = { rate: 0.5, count: 3, depth: null, mode: 'FAST' };

  it('fills the defaults for null, undefined, {} and undefined fields, in a fresh object', () => {
    for (const input of [null, undefined, {}, { rate: undefined }]) {
      const { params, problems } = checkParams(input, SPECS);
      expect(params).toEqual(defaults);
      expect(problems).toEqual([]);
      expect(Object.isFrozen(params)).toBe(false);
    }
  });

  it('keeps good values in the specs’ order', () => {
    const { params, problems } = checkParams({ mode: 'SLOW', depth: 4, rate: 1 }, SPECS);
    expect(problems).toEqual([]);
    expect(JSON.stringify(params)).toBe('{"rate":1,"count":3,"depth":4,"mode":"SLOW"}');
  });

  it('names each bad field (specs’ order), then unknown keys (input’s order), keeping defaults', () => {
    const { params, problems } = checkParams(
      { zeta: 1, mode: 'fast', alpha: 2, count: 11, rate: 0 },
      SPECS,
    );
    expect(problems).toEqual([
      { path: 'rate', message: 'must be a number > 0 and ≤ 1' },
      { path: 'count', message: 'must be an integer from 1 to 10' },
      { path: 'mode', message: 'must be one of FAST, SLOW' },
      { path: 'zeta', message: UNKNOWN_PARAMETER },
      { path: 'alpha', message: UNKNOWN_PARAMETER },
    ]);
    expect(params).toEqual(defaults);
  });

  it('reports an unknown key even when its value is undefined', () => {
    expect(checkParams({ other: undefined }, SPECS).problems).toEqual([
      { path: 'other', message: 'unknown parameter' },
    ]);
  });

  it('reports a non-object at path "" and returns the defaults', () => {
    for (const input of [[], [1], 'rate=1', 3]) {
      const checked = checkParams(input as unknown as Record<string, unknown>, SPECS);
      expect(checked).toEqual({
        params: defaults,
        problems: [{ path: '', message: NOT_AN_OBJECT }],
      });
    }
    expect(NOT_AN_OBJECT).toBe('params must be an object');
  });
});

describe('describeProblems', () => {
  const problems = [
    { path: 'rate', message: 'must be a number > 0' },
    { path: 'count', message: 'must be an integer' },
  ];

  it('lists path and message, joined by "; "', () => {
    expect(describeProblems(problems)).toBe(
      'rate: must be a number > 0; count: must be an integer',
    );
    expect(describeProblems(problems, ' ')).toBe(
      'rate must be a number > 0; count must be an integer',
    );
    expect(describeProblems([])).toBe('');
  });
});

describe('refuseProblems', () => {
  it('does nothing without problems', () => {
    expect(() => refuseProblems([], 'bad params')).not.toThrow();
  });

  it('throws a RangeError that lists every problem after the prefix', () => {
    const problems = [
      { path: 'rate', message: 'must be a number > 0' },
      { path: 'mode', message: 'must be one of FAST, SLOW' },
    ];
    expect(() => refuseProblems(problems, 'invalid example params')).toThrow(RangeError);
    expect(() => refuseProblems(problems, 'invalid example params')).toThrow(
      'invalid example params: rate: must be a number > 0; mode: must be one of FAST, SLOW',
    );
    expect(() => refuseProblems(problems.slice(0, 1), 'bad example params', ' ')).toThrow(
      'bad example params: rate must be a number > 0',
    );
  });
});

describe('refuseInvalidParams', () => {
  const check = (input: Record<string, unknown>) => checkParams(input, SPECS);

  it('passes params its check takes', () => {
    expect(() => refuseInvalidParams(check, { rate: 1, mode: 'SLOW' }, 'bad')).not.toThrow();
  });

  it('refuses a bad value and an unknown key, listing both', () => {
    const params = { ...defaultParams(SPECS), count: 0, extra: true };
    expect(() => refuseInvalidParams(check, params, 'invalid example params')).toThrow(
      new RangeError(
        'invalid example params: count: must be an integer from 1 to 10; extra: unknown parameter',
      ),
    );
  });
});
