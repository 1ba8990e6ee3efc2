import { EMPTY_DATASET_FORM, toCreateInput } from './datasetForm';

describe('toCreateInput', () => {
  it('sends only the name when nothing else is set', () => {
    expect(toCreateInput({ ...EMPTY_DATASET_FORM, name: '  Q3 leads ' })).toEqual({
      ok: true,
      input: { name: 'Q3 leads' },
    });
  });

  it('requires a name of at most 200 characters', () => {
    expect(toCreateInput(EMPTY_DATASET_FORM)).toEqual({
      ok: false,
      errors: { name: 'Enter a name.' },
    });
    const long = toCreateInput({ ...EMPTY_DATASET_FORM, name: 'x'.repeat(201) });
    expect(long.ok).toBe(false);
  });

  it('turns dates into a UTC filter and wants them in order', () => {
    const ok = toCreateInput({
      ...EMPTY_DATASET_FORM,
      name: 'v',
      outcomeFrom: '2025-01-01',
      outcomeTo: '2025-07-01',
    });
    expect(ok).toEqual({
      ok: true,
      input: {
        name: 'v',
        filter: { outcomeFrom: '2025-01-01T00:00:00.000Z', outcomeTo: '2025-07-01T00:00:00.000Z' },
      },
    });
    const reversed = toCreateInput({
      ...EMPTY_DATASET_FORM,
      name: 'v',
      outcomeFrom: '2025-07-01',
      outcomeTo: '2025-01-01',
    });
    expect(reversed).toEqual({
      ok: false,
      errors: { outcomeTo: 'Must be after the start date.' },
    });
  });

  it('builds the transformation from what differs from the defaults', () => {
    const result = toCreateInput({
      ...EMPTY_DATASET_FORM,
      name: 'v',
      exclude: 'email, , notes',
      log1p: 'timeSpentSeconds',
      fill: 'ZERO',
      standardize: false,
      maxLevels: '20',
    });
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'v',
        transformation: {
          exclude: ['email', 'notes'],
          numeric: { fill: 'ZERO', standardize: false, log1p: ['timeSpentSeconds'] },
          categorical: { maxLevels: 20 },
        },
      },
    });
  });

  it('checks the categorical ranges', () => {
    const result = toCreateInput({
      ...EMPTY_DATASET_FORM,
      name: 'v',
      minFrequency: '0',
      maxLevels: '1001',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        minFrequency: 'A whole number, 1 or more.',
        maxLevels: 'A whole number from 1 to 1000.',
      },
    });
  });
});
