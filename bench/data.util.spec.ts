import { describe, expect, it } from '@jest/globals';

import {
  bankImportMapping,
  buildPhase,
  buildPhases,
  countDataRows,
  csvHeader,
  flipYesNo,
  goalText,
  meetsGoal,
  modifyBankCsv,
  phaseRss,
  splitCsvLine,
  unquote,
} from './data.util';

const BANK = [
  '"age";"job";"balance";"duration";"y"',
  '58;"management";2143;261;"no"',
  '44;"technician";29;151;"no"',
  '33;"entrepreneur";2;76;"yes"',
  '47;"blue-collar";1506;92;"no"',
  '33;"unknown";1;198;"yes"',
  '35;"management";231;139;"no"',
  '',
].join('\n');

describe('splitCsvLine / unquote / csvHeader', () => {
  it('splits on the separator outside quotes and keeps the cells as written', () => {
    expect(splitCsvLine('1;"a;b";"c""d";')).toEqual(['1', '"a;b"', '"c""d"', '']);
    expect(splitCsvLine('x,y', ',')).toEqual(['x', 'y']);
  });

  it.each([
    ['"a;b"', 'a;b'],
    ['"c""d"', 'c"d'],
    [' 42 ', '42'],
    ['"', '"'],
  ])('reads the cell %s as %s', (cell, value) => {
    expect(unquote(cell)).toBe(value);
  });

  it('reads the header of a text (a BOM and a CR dropped)', () => {
    expect(csvHeader(BANK)).toEqual(['age', 'job', 'balance', 'duration', 'y']);
    expect(csvHeader('\uFEFF"a";"b"\r\n1;2\r\n')).toEqual(['a', 'b']);
    expect(csvHeader('"only"')).toEqual(['only']);
  });
});

describe('bankImportMapping', () => {
  it('maps y to the outcome and every other column but duration to attributes', () => {
    expect(bankImportMapping(csvHeader(BANK))).toEqual({
      leadIdPrefix: 'BANK-',
      outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
      attributes: ['age', 'job', 'balance'],
    });
  });

  it('dates outcomes from a column, which is no attribute then', () => {
    const mapping = bankImportMapping([...csvHeader(BANK), 'outcome_at'], {
      outcomeAtColumn: 'outcome_at',
      prefix: 'X-',
    });
    expect(mapping.outcome.at).toBe('outcome_at');
    expect(mapping.leadIdPrefix).toBe('X-');
    expect(mapping.attributes).toEqual(['age', 'job', 'balance']);
  });
});

describe('flipYesNo', () => {
  it('swaps yes and no, keeping the quotes; leaves anything else', () => {
    expect(['"yes"', '"no"', 'YES', '"maybe"'].map(flipYesNo)).toEqual([
      '"no"',
      '"yes"',
      'no',
      '"maybe"',
    ]);
  });
});

describe('modifyBankCsv', () => {
  it('adds 1 to the balance of every n-th row and flips y of every m-th', () => {
    const modified = modifyBankCsv(BANK, { balanceEvery: 2, flipEvery: 3 });
    const lines = modified.csv.split('\n');
    expect(lines[0]).toBe('"age";"job";"balance";"duration";"y"');
    expect(lines[1]).toBe('58;"management";2143;261;"no"');
    expect(lines[2]).toBe('44;"technician";30;151;"no"');
    expect(lines[3]).toBe('33;"entrepreneur";2;76;"no"');
    expect(lines[4]).toBe('47;"blue-collar";1507;92;"no"');
    expect(lines[6]).toBe('35;"management";232;139;"yes"');
    expect(lines[7]).toBe('');
    // Rows 2, 4, 6 by balance; 3, 6 by label: 4 rows in all.
    expect(modified).toMatchObject({ rows: 6, balanceChanged: 3, labelFlipped: 2, changedRows: 4 });
  });

  it('counts the union of both rules for the bank file', () => {
    const rows = Array.from({ length: 45_211 }, (_, i) => `${i};"x";${i};1;"no"`);
    const modified = modifyBankCsv(['"age";"job";"balance";"duration";"y"', ...rows].join('\n'), {
      balanceEvery: 10,
      flipEvery: 7,
    });
    expect(modified).toMatchObject({
      rows: 45_211,
      balanceChanged: 4_521,
      labelFlipped: 6_458,
      changedRows: 4_521 + 6_458 - 645,
    });
  });

  it('adds an outcome date column to every row when asked', () => {
    const modified = modifyBankCsv(BANK, {
      balanceEvery: 0,
      flipEvery: 0,
      outcomeAt: '2026-01-02T03:04:05.678Z',
    });
    const lines = modified.csv.split('\n');
    expect(lines[0]).toBe('"age";"job";"balance";"duration";"y";"outcome_at"');
    expect(lines[1]).toBe('58;"management";2143;261;"no";"2026-01-02T03:04:05.678Z"');
    expect(modified.changedRows).toBe(0);
    expect(csvHeader(modified.csv)).toContain('outcome_at');
  });

  it('refuses a CSV without balance or y', () => {
    expect(() => modifyBankCsv('"a";"b"\n1;2', { balanceEvery: 1, flipEvery: 1 })).toThrow(
      /balance/,
    );
  });
});

describe('countDataRows', () => {
  it('counts the non-empty lines after the header', () => {
    expect(countDataRows(BANK)).toBe(6);
    expect(countDataRows('a\n1\n\n2')).toBe(2);
    expect(countDataRows('a')).toBe(0);
    expect(countDataRows('a\r\n1\r\n')).toBe(1);
  });
});

describe('buildPhase / buildPhases', () => {
  it('is the stage while running, else the status', () => {
    expect(buildPhase('RUNNING', 'DESCRIBING')).toBe('DESCRIBING');
    expect(buildPhase('QUEUED', 'READING')).toBe('QUEUED');
    expect(buildPhase('COMPLETED', 'DONE')).toBe('COMPLETED');
  });

  it('times each phase from its first sighting to the next one', () => {
    const seen = (atMs: number, status: string, stage = 'READING') => ({ atMs, status, stage });
    expect(
      buildPhases(
        [
          seen(30, 'QUEUED'),
          seen(60, 'QUEUED'),
          seen(90, 'RUNNING'),
          seen(400, 'RUNNING'),
          seen(1200, 'RUNNING', 'DESCRIBING'),
          seen(1500, 'RUNNING', 'WRITING'),
          seen(2500, 'COMPLETED', 'DONE'),
        ],
        2500,
      ),
    ).toEqual([
      { phase: 'request', fromMs: 0, ms: 30 },
      { phase: 'QUEUED', fromMs: 30, ms: 60 },
      { phase: 'READING', fromMs: 90, ms: 1110 },
      { phase: 'DESCRIBING', fromMs: 1200, ms: 300 },
      { phase: 'WRITING', fromMs: 1500, ms: 1000 },
      { phase: 'COMPLETED', fromMs: 2500, ms: 0 },
    ]);
  });

  it('has only the request when nothing was polled', () => {
    expect(buildPhases([], 40)).toEqual([{ phase: 'request', fromMs: 0, ms: 40 }]);
  });
});

describe('phaseRss', () => {
  const kb = (mb: number) => mb * 1024;
  const samples = [
    { atMs: 0, kb: kb(100) },
    { atMs: 100, kb: kb(120) },
    { atMs: 200, kb: kb(300) },
    { atMs: 300, kb: null },
    { atMs: 400, kb: kb(250) },
    { atMs: 500, kb: kb(900) },
  ];

  it('answers the reading before the phase and the largest within it', () => {
    expect(phaseRss(samples, 150, 450)).toEqual({ beforeMb: 120, maxMb: 300, samples: 3 });
  });

  it('answers nulls without readings', () => {
    expect(phaseRss([], 0, 10)).toEqual({ beforeMb: null, maxMb: null, samples: 0 });
  });
});

describe('meetsGoal / goalText', () => {
  it('compares with the limit, inclusive or not', () => {
    expect(meetsGoal(5, { op: '<=', limit: 5, unit: 's' })).toBe(true);
    expect(meetsGoal(500, { op: '<', limit: 500, unit: 'MB' })).toBe(false);
    expect(meetsGoal(null, { op: '<', limit: 500, unit: 'MB' })).toBeNull();
    expect(meetsGoal(NaN, { op: '<', limit: 500, unit: 'MB' })).toBeNull();
    expect(meetsGoal(0.81, { op: '>=', limit: 0.81, unit: '' })).toBe(true);
    expect(meetsGoal(49_999, { op: '>=', limit: 50_000, unit: 'leads/s' })).toBe(false);
    expect(goalText({ op: '<=', limit: 2, unit: 's' })).toBe('≤ 2 s');
    expect(goalText({ op: '>=', limit: 0.81, unit: '' })).toBe('≥ 0.81');
  });
});
