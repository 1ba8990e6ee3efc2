import { readFileSync } from 'node:fs';

import { blankAsAbsent } from './env-fields';
import type { Env } from './env-schema';

/** Variables that may instead be given as `<NAME>_FILE`, a file holding the value (Docker secrets). */
export const FILE_VARIABLES = [
  'JWT_SECRET',
  'JWT_PRIVATE_KEY',
  'SECRETS_ENCRYPTION_KEYS',
  'MONGODB_URI',
  'REDIS_URL',
  'OPENAI_API_KEY',
] as const;

export interface SecretFiles {
  /** The environment with the content of each `<NAME>_FILE` as `<NAME>`. */
  readonly env: Env;
  /** Complete problem texts, naming the `_FILE` variable and the path, never the content. */
  readonly problems: readonly string[];
  /** Variables whose value came from a file. */
  readonly readFromFile: ReadonlySet<string>;
  /** Variables whose file could not be used: their own rules are not checked (one problem is enough). */
  readonly unusable: ReadonlySet<string>;
}

/** Replaces each `<NAME>_FILE` by the content of its file, trailing newlines trimmed. */
export function readSecretFiles(env: Env): SecretFiles {
  const resolved: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  const readFromFile = new Set<string>();
  const unusable = new Set<string>();

  for (const name of FILE_VARIABLES) {
    const fileVariable = `${name}_FILE`;
    const path = blankAsAbsent(env[fileVariable]);
    if (typeof path !== 'string') continue;
    const outcome =
      blankAsAbsent(env[name]) === undefined
        ? readSecretFile(path, OPTIONAL_SECRETS.has(name))
        : { problem: `set either ${name} or ${fileVariable}, not both` };
    if ('problem' in outcome) {
      problems.push(`${fileVariable}: ${outcome.problem}`);
      unusable.add(name);
      resolved[name] = undefined;
    } else {
      resolved[name] = outcome.value;
      if (outcome.value !== undefined) readFromFile.add(name);
    }
  }
  return { env: resolved, problems, readFromFile, unusable };
}

/**
 * Secrets the app runs without (no OpenAI key: the deterministic insight writer). Their file may be
 * empty, as a deployment's secrets script leaves it until someone has a key.
 */
const OPTIONAL_SECRETS: ReadonlySet<string> = new Set(['OPENAI_API_KEY']);

function readSecretFile(
  path: string,
  optional: boolean,
): { value: string | undefined } | { problem: string } {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    // The code only (ENOENT, EACCES, EISDIR): a problem names the file, never shows its content.
    return { problem: `cannot read "${path}" (${errorCodeOf(error)})` };
  }
  const value = content.replace(/[\r\n]+$/, '');
  // An empty required secret is a mistake (a file created but never filled), not "use the default".
  if (blankAsAbsent(value) !== undefined) return { value };
  return optional ? { value: undefined } : { problem: `"${path}" is empty` };
}

/**
 * The code of a failed file-system call. Not `instanceof Error`: Node's errors come from another
 * realm under Jest, where that test fails.
 */
export function errorCodeOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : 0;
  return typeof code === 'string' ? code : 'error';
}
