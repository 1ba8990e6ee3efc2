import { mongo } from 'mongoose';

import { fieldName, filterShape } from './filter-shape.util';

const TENANT = new mongo.ObjectId('65f0c1a2b3c4d5e6f7a8b9c0');
const LEAD = new mongo.ObjectId('65f0c1a2b3c4d5e6f7a8b9c1');
const EMAIL = 'ann.lee@example.com';

/** Every value the tests hide, as a log reader would look for it. */
const SECRETS = [
  TENANT.toHexString(),
  LEAD.toHexString(),
  EMAIL,
  'ann',
  '4242',
  '73.5',
  'QUALIFIED',
];

function expectNoValues(shape: string): void {
  for (const secret of SECRETS) expect(shape).not.toContain(secret);
}

describe('filterShape', () => {
  it('replaces each leaf by its type and keeps field names and operators', () => {
    const filter = {
      tenantId: TENANT,
      email: EMAIL,
      score: { $gte: 73.5, $lt: 4242 },
      status: { $in: ['QUALIFIED', 'NEW'] },
      archived: false,
      deletedAt: null,
      updatedAt: { $lte: new Date('2024-01-02T03:04:05Z') },
    };

    const shape = filterShape(filter);

    expect(shape).toBe(
      '{tenantId: <ObjectId>, email: <string>, score: {$gte: <number>, $lt: <number>}, ' +
        'status: {$in: [<string> ×2]}, archived: <bool>, deletedAt: <null>, updatedAt: {$lte: <date>}}',
    );
    expectNoValues(shape);
  });

  it('gives an array its distinct item shapes and its length', () => {
    expect(filterShape({ _id: { $in: [LEAD] } })).toBe('{_id: {$in: [<ObjectId>]}}');
    expect(filterShape({ _id: { $in: [LEAD, TENANT, LEAD] } })).toBe(
      '{_id: {$in: [<ObjectId> ×3]}}',
    );
    expect(filterShape({ ownerId: { $in: [EMAIL, null, 4242] } })).toBe(
      '{ownerId: {$in: [<string>|<null>|<number> ×3]}}',
    );
    expect(filterShape({ tags: { $all: [] } })).toBe('{tags: {$all: []}}');
    expect(filterShape({ a: [1, 'x', true, null, LEAD] })).toBe(
      '{a: [<number>|<string>|<bool>|… ×5]}',
    );
  });

  it('looks at the first ten items of a long array only, and says how long it is', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i < 10 ? LEAD : EMAIL));

    expect(filterShape({ _id: { $in: ids } })).toBe('{_id: {$in: [<ObjectId> ×5000]}}');
  });

  it('names BSON and other typed values without printing them', () => {
    const shape = filterShape({
      amount: mongo.Decimal128.fromString('73.5'),
      count: mongo.Long.fromNumber(4242),
      small: new mongo.Int32(7),
      ratio: new mongo.Double(0.5),
      at: new mongo.Timestamp({ t: 4242, i: 1 }),
      key: new mongo.UUID('0b9c3c5e-9f38-4d7e-9a52-0e1c1b5f4a42'),
      blob: new mongo.Binary(Buffer.from(EMAIL)),
      raw: Buffer.from(EMAIL),
      pattern: /ann/i,
      bsonPattern: new mongo.BSONRegExp('ann', 'i'),
      big: 4242n,
    });

    expect(shape).toBe(
      '{amount: <decimal>, count: <long>, small: <number>, ratio: <number>, at: <timestamp>, ' +
        'key: <uuid>, blob: <binary>, raw: <binary>, pattern: <regex>, bsonPattern: <regex>, big: <number>}',
    );
    expectNoValues(shape);
    expect(shape).not.toContain('0b9c3c5e');
  });

  it('treats an object that merely claims a _bsontype as a plain object', () => {
    expect(filterShape({ x: { _bsontype: 'ann' } })).toBe('{x: {_bsontype: <string>}}');
  });

  it('keeps logical operators and nested documents', () => {
    const shape = filterShape({
      tenantId: TENANT,
      $or: [{ name: { $regex: 'ann', $options: 'i' } }, { email: { $regex: 'ann' } }],
      'attributes.industry': 'QUALIFIED',
    });

    expect(shape).toBe(
      '{tenantId: <ObjectId>, $or: [{name: {$regex: <string>, $options: <string>}}|{email: {$regex: <string>}} ×2], ' +
        'attributes.industry: <string>}',
    );
    expectNoValues(shape);
  });

  it('shapes a bare value and an empty filter', () => {
    expect(filterShape({})).toBe('{}');
    expect(filterShape(EMAIL)).toBe('<string>');
    expect(filterShape(undefined)).toBe('<undefined>');
    expect(filterShape([])).toBe('[]');
  });

  it('stops at six levels of nesting', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: EMAIL } } } } } } } };

    expect(filterShape(deep)).toBe('{a: {b: {c: {d: {e: {f: {…}}}}}}}');
    expect(filterShape({ a: { b: { c: { d: { e: { f: [EMAIL, EMAIL] } } } } } })).toBe(
      '{a: {b: {c: {d: {e: {f: [… ×2]}}}}}}',
    );
  });

  it('prints at most twenty keys of an object and says how many more there are', () => {
    const wide = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, i]));

    const shape = filterShape(wide);

    expect(shape).toMatch(/^\{f0: <number>, .*f19: <number>, …\+5\}$/);
    expect(shape).not.toContain('f20');
  });

  it('is bounded in length and work, whatever the document', () => {
    // 20 keys on each of 6 levels: 64 million leaves to a naive walk (one object per level here).
    const level = (depth: number): Record<string, unknown> => {
      const child = depth === 0 ? EMAIL : level(depth - 1);
      return Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, child]));
    };

    const startedAt = performance.now();
    const shape = filterShape(level(6));

    expect(performance.now() - startedAt).toBeLessThan(50);

    expect(shape.length).toBeLessThanOrEqual(600);
    expect(shape.endsWith('…')).toBe(true);
    expectNoValues(shape);
  });

  it('hides the parts of field names that look like ids or emails', () => {
    const shape = filterShape({
      [`scores.${LEAD.toHexString()}.value`]: 4242,
      [EMAIL]: 1,
      'perLead.0b9c3c5e-9f38-4d7e-9a52-0e1c1b5f4a42': true,
      'items.0.qty': 2,
      'counts.424242': 1,
    });

    expect(shape).toBe(
      '{scores.<id>.value: <number>, <id>: <number>, perLead.<id>: <bool>, items.0.qty: <number>, counts.<id>: <number>}',
    );
    expectNoValues(shape);
  });
});

describe('fieldName', () => {
  it('keeps ordinary names and cuts long ones', () => {
    expect(fieldName('lastActivityAt')).toBe('lastActivityAt');
    expect(fieldName('$elemMatch')).toBe('$elemMatch');
    expect(fieldName('x'.repeat(70))).toBe(`${'x'.repeat(64)}…`);
  });
});
