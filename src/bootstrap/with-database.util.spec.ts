import { withDatabase } from './with-database.util';

describe('withDatabase', () => {
  it('adds the database to a bare connection string', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017', 'lead_scoring')).toBe(
      'mongodb://127.0.0.1:27017/lead_scoring',
    );
  });

  it('keeps the query of a bare connection string', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017/?replicaSet=rs0', 'x')).toBe(
      'mongodb://127.0.0.1:27017/x?replicaSet=rs0',
    );
  });

  it('leaves a connection string that names a database alone', () => {
    expect(withDatabase('mongodb://db:27017/prod', 'lead_scoring')).toBe('mongodb://db:27017/prod');
  });
});
