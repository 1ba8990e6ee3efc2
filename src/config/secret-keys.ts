import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import type { AppConfig } from './app-config';
import { fromEnv } from './env-fields';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * SECRETS_ENCRYPTION_KEYS: `id:base64key,id2:base64key2`, each key 32 bytes; the first seals.
 * Absent: one random key that lives as long as the process (refused in production by a
 * cross-field rule). Messages name entries by position and never echo a key.
 */
export function secretKeys() {
  return fromEnv(
    z
      .string()
      .optional()
      .transform((value, ctx): AppConfig['secretKeys'] => {
        if (value === undefined)
          return { keys: [{ id: 'ephemeral', key: randomBytes(32) }], ephemeral: true };
        const keys: { id: string; key: Buffer }[] = [];
        value.split(',').forEach((entry, i) => {
          const [id, encoded, ...rest] = entry.trim().split(':');
          const key = encoded === undefined ? undefined : Buffer.from(encoded, 'base64');
          if (rest.length > 0 || !id || !KEY_ID.test(id) || !key || key.length !== 32) {
            ctx.issues.push({
              code: 'custom',
              input: undefined,
              message: `entry ${i + 1} must be <id>:<32 bytes in base64> with an id of 1-32 letters, digits, '-' or '_'`,
            });
          } else if (keys.some((known) => known.id === id)) {
            ctx.issues.push({
              code: 'custom',
              input: undefined,
              message: `key id "${id}" appears twice`,
            });
          } else keys.push({ id, key });
        });
        return { keys, ephemeral: false };
      }),
  );
}
