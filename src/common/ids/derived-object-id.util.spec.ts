import { derivedObjectId } from './derived-object-id.util';

describe('derivedObjectId', () => {
  it('is stable for the same key', () => {
    expect(derivedObjectId('lead', 't1', 'L-1').equals(derivedObjectId('lead', 't1', 'L-1'))).toBe(
      true,
    );
  });

  it('differs by tenant, kind and key, and does not confuse part boundaries', () => {
    const ids = [
      derivedObjectId('lead', 't1', 'L-1'),
      derivedObjectId('lead', 't2', 'L-1'),
      derivedObjectId('interaction', 't1', 'L-1'),
      derivedObjectId('lead', 't1', 'L-2'),
      derivedObjectId('lead', 'ab', 'c'),
      derivedObjectId('lead', 'a', 'bc'),
    ].map((id) => id.toHexString());
    expect(new Set(ids).size).toBe(ids.length);
    ids.forEach((id) => expect(id).toMatch(/^[0-9a-f]{24}$/));
  });

  it('keeps the ids already stored: SHA-256 of the kind and the length-prefixed parts, UTF-8', () => {
    expect(derivedObjectId('lead', '5f0000000000000000000001', 'CRM-1042').toHexString()).toBe(
      'e07f44128f5da25602a4132c',
    );
    expect(derivedObjectId('interaction', 't1', 'é-ключ-🙂').toHexString()).toBe(
      '68246ed4e6039b4f02624ef6',
    );
  });
});
