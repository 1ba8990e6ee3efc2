import { describe, expect, it } from '@jest/globals';

import { duplicateIndexes } from './interactions.repository';

const DUPLICATE = 11000;

describe('duplicateIndexes (what an unordered insert refused as already stored)', () => {
  it('gives the positions refused as duplicates when the rest was inserted', () => {
    const error = {
      writeErrors: [{ index: 1, code: DUPLICATE }, { err: { index: 3, code: DUPLICATE } }],
      result: { insertedCount: 2 },
    };
    expect(duplicateIndexes(error)).toEqual(new Set([1, 3]));
  });

  it('rethrows a bulk error that lists no write error (a connection lost mid-insert)', () => {
    const error = Object.assign(new Error('connection closed'), {
      writeErrors: [],
      result: { insertedCount: 0 },
    });
    expect(() => duplicateIndexes(error)).toThrow('connection closed');
    expect(() => duplicateIndexes(new Error('no list'))).toThrow('no list');
  });

  it('rethrows any other write error', () => {
    const error = Object.assign(new Error('too big'), {
      writeErrors: [{ index: 0, code: 10334 }],
      result: { insertedCount: 2 },
    });
    expect(() => duplicateIndexes(error)).toThrow('too big');
  });
});
