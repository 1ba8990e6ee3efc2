import { DEFAULT_JSON_INPUT_LIMITS } from '@/common/validation/json-bounds.util';

import { badAttributeColumns, mapRow, missingColumns } from './csv-row.util';

const header = ['age', 'job', 'email', 'y'];

describe('mapRow', () => {
  it('maps columns, numbers, outcomes and generated ids', () => {
    const mapping = {
      leadIdPrefix: 'BANK-',
      email: 'email',
      outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
      attributes: ['*'],
    };

    expect(mapRow(mapping, header, ['58', 'management', 'A@B.example', 'yes'], 7)).toEqual({
      leadId: 'BANK-7',
      email: 'a@b.example',
      status: 'CONVERTED',
      outcome: { outcome: 'CONVERTED' },
      attributes: { age: 58, job: 'management' },
    });
    expect(mapRow(mapping, header, ['44', 'technician', '', 'no'], 8)).toMatchObject({
      leadId: 'BANK-8',
      status: 'LOST',
    });
  });

  it('dates an outcome from its date column, which is not an attribute', () => {
    const row = mapRow(
      {
        leadId: 'id',
        outcome: { column: 'y', converted: ['yes'], lost: ['no'], at: 'closed' },
        attributes: ['*'],
      },
      ['id', 'y', 'closed', 'age'],
      ['L-1', 'no', '2026-03-04T05:06:07Z', '30'],
      1,
    );
    expect(row).toEqual({
      leadId: 'L-1',
      status: 'LOST',
      outcome: { outcome: 'LOST', at: '2026-03-04T05:06:07Z' },
      attributes: { age: 30 },
    });
  });

  it('leaves an unknown outcome value without a status', () => {
    const row = mapRow(
      { leadId: 'job', outcome: { column: 'y', converted: ['yes'], lost: ['no'] } },
      header,
      ['1', 'x', '', 'maybe'],
      1,
    );
    expect(row).toEqual({ leadId: 'x' });
  });

  it('keeps a "__proto__" header as an attribute key, for validation to see', () => {
    const row = mapRow(
      { leadId: 'id', attributes: ['*'] },
      ['id', '__proto__', 'a'],
      ['X', '{}', '1'],
      1,
    );

    expect(Object.keys(row.attributes!)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(row.attributes)).toBe(Object.prototype);
  });
});

describe('badAttributeColumns', () => {
  const limits = { ...DEFAULT_JSON_INPUT_LIMITS, maxKeyLength: 12 };
  const messy = [
    'id', // mapped to leadId: any name
    '$where',
    'a.b',
    'plain name',
    '__proto__',
    'größe ✓',
    'constructor',
    'nul\0here',
    '',
    'thirteen-char',
    'prototype',
    'a$b',
  ];

  it('names every attribute column that cannot be a field name, with its position and why', () => {
    expect(badAttributeColumns({ leadId: 'id', attributes: ['*'] }, messy, limits)).toEqual([
      { index: 1, column: '$where', problem: 'key must not start with $' },
      { index: 2, column: 'a.b', problem: 'key must not contain "."' },
      { index: 4, column: '__proto__', problem: 'key "__proto__" is not allowed' },
      { index: 6, column: 'constructor', problem: 'key "constructor" is not allowed' },
      { index: 7, column: 'nul\0here', problem: 'key must not contain a NUL character' },
      { index: 8, column: '', problem: 'key must not be empty' },
      { index: 9, column: 'thirteen-char', problem: 'key longer than 12 characters' },
      { index: 10, column: 'prototype', problem: 'key "prototype" is not allowed' },
    ]);
  });

  it('checks only the listed columns, and none mapped to a lead field', () => {
    expect(
      badAttributeColumns(
        { leadId: '$where', email: 'a.b', attributes: ['plain name', '__proto__', 'a$b'] },
        messy,
        limits,
      ),
    ).toEqual([{ index: 4, column: '__proto__', problem: 'key "__proto__" is not allowed' }]);
    expect(badAttributeColumns({ leadId: '$where', email: 'a.b' }, messy, limits)).toEqual([]);
  });
});

describe('missingColumns', () => {
  it('names every mapped column the header lacks', () => {
    expect(
      missingColumns({ leadId: 'id', email: 'email', attributes: ['age', 'balance', '*'] }, header),
    ).toEqual(['id', 'balance']);
  });
});
