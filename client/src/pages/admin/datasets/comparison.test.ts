import { byPsi, formatRateChange, psiLevel } from './comparison';
import { buildFraction, isBuildFinished } from './build';
import { depthLabel, describeTransformation } from './transformation';

describe('psiLevel', () => {
  it('reads the PSI as the API documents it', () => {
    expect(psiLevel(0)).toBe('stable');
    expect(psiLevel(0.0999)).toBe('stable');
    expect(psiLevel(0.1)).toBe('moderate');
    expect(psiLevel(0.25)).toBe('moderate');
    expect(psiLevel(0.2501)).toBe('shift');
  });
});

describe('byPsi', () => {
  it('puts the largest PSI first, ties by name', () => {
    const sorted = byPsi([
      { name: 'b', psi: 0.1 },
      { name: 'c', psi: 0.3 },
      { name: 'a', psi: 0.1 },
    ]);
    expect(sorted.map((f) => f.name)).toEqual(['c', 'a', 'b']);
  });
});

describe('formatRateChange', () => {
  it('signs the change in percentage points', () => {
    expect(formatRateChange(0.025)).toBe('+2.5 pts');
    expect(formatRateChange(-0.01)).toBe('−1.0 pts');
    expect(formatRateChange(0)).toBe('±0.0 pts');
  });
});

describe('dataset builds', () => {
  it('reads progress from the rows read', () => {
    expect(buildFraction({ status: 'RUNNING', rowsRead: 250, totalRows: 1000 })).toBe(0.25);
    expect(buildFraction({ status: 'QUEUED', rowsRead: 0, totalRows: 0 })).toBe(0);
    expect(buildFraction({ status: 'COMPLETED', rowsRead: 0, totalRows: 0 })).toBe(1);
    expect(isBuildFinished('FAILED')).toBe(true);
    expect(isBuildFinished('RUNNING')).toBe(false);
  });
});

describe('lineage wording', () => {
  it('names the relation of each node', () => {
    expect([-3, -1, 0, 1, 2].map(depthLabel)).toEqual([
      'Ancestor (3 up)',
      'Parent',
      'This version',
      'Child',
      'Descendant (2 down)',
    ]);
  });

  it('describes a transformation', () => {
    expect(
      describeTransformation({
        features: null,
        exclude: ['email'],
        numeric: { fill: 'MEDIAN', log1p: [], missingIndicator: true, standardize: false },
        categorical: { minFrequency: 5, maxLevels: 50 },
      }),
    ).toEqual([
      'Features: every non-text feature',
      'Excluded: email',
      'Numeric: missing → median, missing indicator',
      'Categorical: categories with 5+ rows, at most 50 per feature',
    ]);
  });
});
