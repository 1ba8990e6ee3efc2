import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildSchemaSdl } from './build-schema-sdl';

describe('schema.gql', () => {
  it('is the schema the resolvers build (run `npm run schema:generate` after changing them)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8');

    expect(await buildSchemaSdl()).toBe(committed);
  });
});
