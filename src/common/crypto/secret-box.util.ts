import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An AES-256 key with the id stored beside what it encrypts (so rotation knows which to use). */
export interface SecretKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Seals a secret with AES-256-GCM: `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url). A fresh random
 * IV per seal; the key id and version are authenticated as additional data, so a sealed value
 * cannot be passed off as sealed under another key.
 */
export function sealSecret(plaintext: string, key: SecretKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}:${key.id}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, key.id, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}:`);
}

/** The key id a sealed value was sealed under (undefined for a value that is not sealed). */
export function sealedKeyId(value: string): string | undefined {
  return isSealed(value) ? value.split(':')[1] : undefined;
}

/**
 * Opens a sealed secret with whichever of `keys` sealed it. Throws when the key is not among them
 * or the value was altered (GCM authentication).
 */
export function openSecret(sealed: string, keys: readonly SecretKey[]): string {
  const parts = sealed.split(':');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('not a sealed secret');
  const [, keyId, iv, tag, ciphertext] = parts;
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new Error(`sealed under key "${keyId}", which is not configured`);
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}
