import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

import { ConfigValidationError } from './config-validation.error';
import { errorCodeOf } from './secret-files';

/**
 * Copies the variables of a dotenv file (default `.env` in the working directory) into `env`,
 * except those already set there: the real environment wins, as with dotenv. For `npm start`
 * users; deployments set real variables or `<NAME>_FILE` secrets. No file: nothing happens.
 * Returns the names it set.
 *
 * Node's own parser (`util.parseEnv`, the dotenv format) runs before loadConfig, so the file is
 * validated with the rest of the environment and seen by the local engines started before Nest;
 * @nestjs/config's ConfigModule would read it only once Nest builds its modules, too late.
 */
export function applyEnvFile(
  env: Record<string, string | undefined>,
  path = resolve('.env'),
): readonly string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'ENOENT') return [];
    throw new ConfigValidationError([`${path}: cannot read the env file (${code})`]);
  }
  const applied: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (value === undefined || env[name] !== undefined) continue;
    env[name] = value;
    applied.push(name);
  }
  return applied;
}
