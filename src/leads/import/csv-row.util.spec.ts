import { mapRow, missingColumns } from './csv-row.util';

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
      attributes: { age: 58, job: 'management' },
    });
    expect(mapRow(mapping, header, ['44', 'technician', '', 'no'], 8)).toMatchObject({
      leadId: 'BANK-8',
      status: 'LOST',
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
});

describe('missingColumns', () => {
  it('names every mapped column the header lacks', () => {
    expect(
      missingColumns({ leadId: 'id', email: 'email', attributes: ['age', 'balance', '*'] }, header),
    ).toEqual(['id', 'balance']);
  });
});
