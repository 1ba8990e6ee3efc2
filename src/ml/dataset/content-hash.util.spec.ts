import { createHash } from 'node:crypto';

import {
  DEFAULT_TRANSFORMATION,
  NormalizedTransformation,
  normalizeTransformation,
} from '../transform/transformation-config.util';
import { datasetContentHash } from './content-hash.util';
import { DatasetRowInput, tableFromRows } from './dataset-table.util';

const ROWS: DatasetRowInput[] = [
  { leadId: 'b', label: 1, eventTime: 2000, features: { x: 1.5, c: 'u' } },
  { leadId: 'a', label: 0, eventTime: 1000, features: { x: -0 } },
];
const hashOf = (
  rows: DatasetRowInput[],
  config: NormalizedTransformation = DEFAULT_TRANSFORMATION,
) => datasetContentHash(tableFromRows(rows), config);
const withFeatures = (index: number, features: DatasetRowInput['features']) =>
  ROWS.map((row, i) => (i === index ? { ...row, features } : row));

describe('datasetContentHash', () => {
  it('is the sha256 of the canonical form', () => {
    // Header, then rows by lead id (a before b) with columns c, x; -0 is written 0 and an absent
    // feature null; then the transformation with its keys sorted.
    const canonical =
      '["dataset-content-v1",["c","x"]]\n' +
      '["a",0,1000,null,0]\n' +
      '["b",1,2000,"u",1.5]\n' +
      '{"categorical":{"maxLevels":50,"minFrequency":5},"exclude":[],"features":null,' +
      '"numeric":{"fill":"MEDIAN","log1p":[],"missingIndicator":true,"standardize":true}}';
    const expected = createHash('sha256').update(canonical).digest('hex');
    expect(hashOf(ROWS)).toBe(expected);
  });

  it('does not depend on the order of rows, features or config keys', () => {
    const reordered = [...ROWS].reverse().map((row) => ({
      ...row,
      features: Object.fromEntries(Object.entries(row.features).reverse()),
    }));
    const shuffledConfig: NormalizedTransformation = {
      numeric: { standardize: true, log1p: [], missingIndicator: true, fill: 'MEDIAN' },
      categorical: { maxLevels: 50, minFrequency: 5 },
      exclude: [],
      features: null,
    };
    expect(hashOf(reordered, shuffledConfig)).toBe(hashOf(ROWS));
    // Lists are normalized before they reach the hash.
    expect(hashOf(ROWS, normalizeTransformation({ exclude: ['c', 'x', 'c'] }))).toBe(
      hashOf(ROWS, normalizeTransformation({ exclude: ['x', 'c'] })),
    );
  });

  it('changes with any one value', () => {
    const base = hashOf(ROWS);
    const variants = [
      withFeatures(0, { x: 1.25, c: 'u' }),
      withFeatures(0, { x: 1.5, c: 'U' }),
      withFeatures(0, { x: 1.5, c: null }),
      withFeatures(0, { x: '1.5', c: 'u' }),
      withFeatures(1, { x: 0, extra: null }), // a new column, even all null
      ROWS.map((row, i) => (i === 0 ? { ...row, label: 0 as const } : row)),
      ROWS.map((row, i) => (i === 0 ? { ...row, eventTime: 2001 } : row)),
      ROWS.map((row, i) => (i === 0 ? { ...row, leadId: 'c' } : row)),
      ROWS.slice(1),
    ];
    const hashes = variants.map((rows) => hashOf(rows));
    expect(hashes.every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
  });

  it('changes with the transformation', () => {
    expect(hashOf(ROWS, normalizeTransformation({ categorical: { minFrequency: 6 } }))).not.toBe(
      hashOf(ROWS),
    );
    expect(hashOf(ROWS, normalizeTransformation({ features: ['x'] }))).not.toBe(hashOf(ROWS));
  });

  it('hashes a table longer than one batch the same in any order', () => {
    const rows: DatasetRowInput[] = Array.from({ length: 3000 }, (_, i) => ({
      leadId: `lead-${i}`,
      label: (i % 2) as 0 | 1,
      eventTime: i,
      features: { text: 'x'.repeat(40), n: i },
    }));
    expect(hashOf([...rows].reverse())).toBe(hashOf(rows));
  });
});
