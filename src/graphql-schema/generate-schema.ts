import 'reflect-metadata';

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { buildSchemaSdl } from './build-schema-sdl';

/** `node dist/graphql-schema/generate-schema.js [--check]`: writes (or checks) schema.gql. */
async function main(): Promise<void> {
  const target = resolve(__dirname, '..', '..', 'schema.gql');
  const sdl = await buildSchemaSdl();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(target, 'utf8');
    } catch {
      // Missing file: reported as out of date below.
    }
    if (committed !== sdl) {
      process.stderr.write(
        'schema.gql is out of date with the resolvers: run `npm run schema:generate`\n',
      );
      process.exit(1);
    }
    process.stdout.write('schema.gql is up to date\n');
    return;
  }
  writeFileSync(target, sdl);
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
