import { createCipheriv } from 'node:crypto';

import { isSealed, openSecret, sealedKeyId, sealSecret, SecretKey } from './secret-box.util';

const keyA: SecretKey = { id: 'a', key: Buffer.alloc(32, 1) };
const keyB: SecretKey = { id: 'b', key: Buffer.alloc(32, 2) };

describe('sealSecret / openSecret', () => {
  it('round-trips, with a fresh IV each time', () => {
    const first = sealSecret('whsec_abc', keyA);
    const second = sealSecret('whsec_abc', keyA);

    expect(first).not.toBe(second);
    expect(first).not.toContain('whsec_abc');
    expect(isSealed(first)).toBe(true);
    expect(sealedKeyId(first)).toBe('a');
    expect(openSecret(first, [keyB, keyA])).toBe('whsec_abc');
  });

  it('matches AES-256-GCM computed independently', () => {
    const sealed = sealSecret('hello', keyA);
    const [, , iv, tag, ciphertext] = sealed.split(':');
    const cipher = createCipheriv('aes-256-gcm', keyA.key, Buffer.from(iv, 'base64url'));
    cipher.setAAD(Buffer.from('v1:a'));
    const expected = Buffer.concat([cipher.update('hello', 'utf8'), cipher.final()]);

    expect(Buffer.from(ciphertext, 'base64url')).toEqual(expected);
    expect(Buffer.from(tag, 'base64url')).toEqual(cipher.getAuthTag());
  });

  it('refuses an unknown key, an altered value and a value relabelled to another key', () => {
    const sealed = sealSecret('whsec_abc', keyA);
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[4], 'base64url');
    flipped[0] ^= 1;

    expect(() => openSecret(sealed, [keyB])).toThrow(
      'sealed under key "a", which is not configured',
    );
    expect(() =>
      openSecret([...parts.slice(0, 4), flipped.toString('base64url')].join(':'), [keyA]),
    ).toThrow();
    expect(() => openSecret(['v1', 'b', ...parts.slice(2)].join(':'), [keyA, keyB])).toThrow();
    expect(() => openSecret('whsec_plain', [keyA])).toThrow('not a sealed secret');
  });
});
