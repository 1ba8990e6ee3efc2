import { DEFAULT_JSON_INPUT_LIMITS, findJsonProblems } from './json-bounds.util';

const limits = {
  maxDepth: 3,
  maxKeysPerObject: 3,
  maxTotalKeys: 6,
  maxKeyLength: 5,
  maxStringLength: 4,
  maxBytes: 200,
};

describe('findJsonProblems', () => {
  it('accepts a value within every bound', () => {
    expect(findJsonProblems({ a: { b: [1, 'ok', null] }, c: true }, limits)).toEqual([]);
  });

  it('counts the value itself as level 1 and arrays as levels', () => {
    expect(findJsonProblems({ a: { b: { c: 1 } } }, limits)).toEqual([]);
    expect(findJsonProblems({ a: { b: [[1]] } }, limits)).toEqual([
      { path: 'a.b.0', message: 'nested deeper than 3 levels' },
    ]);
  });

  it('walks a value a million levels deep without recursion and reports it once', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];

    expect(findJsonProblems(deep, DEFAULT_JSON_INPUT_LIMITS)).toEqual([
      { path: '0.0.0.0.0.0.0.0.0.0', message: 'nested deeper than 10 levels' },
    ]);
  });

  it('refuses field names MongoDB or our documents would misread', () => {
    const value = JSON.parse('{"$gt": 1, "a.b": 2, "__proto__": 3, "": 4}') as object;

    expect(findJsonProblems(value, { ...limits, maxKeysPerObject: 10, maxKeyLength: 20 })).toEqual([
      { path: '$gt', message: 'key must not start with $' },
      { path: 'a.b', message: 'key must not contain "."' },
      { path: '__proto__', message: 'key "__proto__" is not allowed' },
      { path: '', message: 'key must not be empty' },
    ]);
  });

  it('names a problem by its path through objects and arrays, in the order of the value', () => {
    const value = { items: [{ ok: 1 }, { $bad: 1, n: Number.NaN }], end: { 'x.y': true } };

    expect(findJsonProblems(value, { ...limits, maxTotalKeys: 20 })).toEqual([
      { path: 'items.1.$bad', message: 'key must not start with $' },
      { path: 'items.1.n', message: 'must be a finite number' },
      { path: 'end.x.y', message: 'key must not contain "."' },
    ]);
  });

  it('bounds keys per object, keys in all, key length and string length', () => {
    expect(findJsonProblems({ a: 1, b: 2, c: 3, d: 4 }, limits)).toEqual([
      { path: '', message: 'more than 3 keys' },
    ]);
    expect(findJsonProblems({ a: [1, 2, 3], b: [1, 2, 3] }, limits)).toEqual([
      { path: 'b', message: 'more than 6 keys and items in all' },
    ]);
    expect(findJsonProblems({ toolong: 1, s: 'abcde' }, limits)).toEqual([
      { path: 'toolong', message: 'key longer than 5 characters' },
      { path: 's', message: 'string longer than 4 characters' },
    ]);
  });

  it('bounds the serialized size', () => {
    // 2 braces + per key (length + 3) + per string (length + 2): {"a":"xxxx","b":"xxxx"} ≈ 2+4+6+4+6
    expect(findJsonProblems({ a: 'xxxx', b: 'xxxx' }, { ...limits, maxBytes: 22 })).toEqual([]);
    expect(findJsonProblems({ a: 'xxxx', b: 'xxxx' }, { ...limits, maxBytes: 21 })).toEqual([
      { path: '', message: 'larger than 21 bytes as JSON' },
    ]);
  });

  it('refuses non-JSON values and non-finite numbers', () => {
    expect(findJsonProblems({ when: new Date(0), n: Infinity }, limits)).toEqual([
      { path: 'when', message: 'must be plain JSON' },
      { path: 'n', message: 'must be a finite number' },
    ]);
  });
});
