import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';

import { seededRandom } from '@/ml/common/random.util';

import { InteractionInput, RecordInteractionsInput } from './lead.inputs';
import { checkRecordInteractions } from './record-interactions.fast-check';

/** What the validation pipe does once the raw input's checks passed (createValidationPipe). */
async function fullValidation(value: unknown): Promise<RecordInteractionsInput | undefined> {
  const instance = plainToInstance(RecordInteractionsInput, value);
  const errors = await validate(instance as object, {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
  });
  return errors.length === 0 ? instance : undefined;
}

const OMIT = Symbol('omit');
const deep = (levels: number): unknown => (levels === 0 ? 1 : { nested: deep(levels - 1) });

/** Values tried per field, valid and not (OMIT: the key is absent). */
const FIELD_VALUES: Record<string, unknown[]> = {
  leadId: [
    'CRM-1',
    '  CRM-2  ',
    '',
    '   ',
    'x'.repeat(128),
    'x'.repeat(129),
    ` ${'x'.repeat(128)} `,
    '🙂'.repeat(128),
    '\uFE0F',
    42,
    null,
    OMIT,
  ],
  type: ['EMAIL_OPEN', 'WEBSITE_VISIT', 'ACTIVITY', 'CALL', '', 1, null, OMIT],
  occurredAt: [
    new Date('2026-12-01T10:00:00Z'),
    '2026-12-01T10:00:00.000Z',
    new Date(Number.NaN),
    'not a date',
    0,
    null,
    {},
    OMIT,
  ],
  secondsSpent: [0, 30.5, 86_400, 86_401, -1, Number.NaN, Infinity, '30', null, undefined, OMIT],
  idempotencyKey: ['k-1', '', 'k'.repeat(200), 'k'.repeat(201), 7, null, OMIT],
  metadata: [{}, { source: 'crm', n: 1 }, null, [], 'text', deep(40), { 'a.b': 1 }, OMIT],
  extra: [OMIT, OMIT, OMIT, OMIT, OMIT, 'unexpected'],
};

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

function item(random: () => number, valid: boolean): Record<string, unknown> {
  if (valid)
    return {
      leadId: `L-${Math.floor(random() * 1000)}`,
      type: pick(random, ['EMAIL_OPEN', 'WEBSITE_VISIT', 'ACTIVITY']),
      occurredAt: new Date(1_764_000_000_000 + Math.floor(random() * 1e9)),
      ...(random() < 0.5 ? { secondsSpent: Math.floor(random() * 600) } : {}),
      idempotencyKey: `k-${Math.floor(random() * 1e9)}`,
      ...(random() < 0.3 ? { metadata: { source: 'crm' } } : {}),
    };
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(FIELD_VALUES)) {
    const value = pick(random, values);
    if (value !== OMIT) out[key] = value;
  }
  return out;
}

function input(random: () => number): Record<string, unknown> {
  // Past the array's bounds now and then (1,001 items cost the full validation ~60 ms).
  const n = random() < 0.01 ? 1001 : pick(random, [1, 1, 2, 3, 5, 0]);
  const interactions = Array.from({ length: n }, () => item(random, random() < 0.6));
  const out: Record<string, unknown> = {
    interactions: random() < 0.05 ? 'not a list' : interactions,
  };
  const acknowledge = pick(random, ['APPLIED', 'LOGGED', 'LATER', null, undefined, OMIT]);
  if (acknowledge !== OMIT) out.acknowledge = acknowledge;
  if (random() < 0.05) out.other = true;
  return out;
}

/** A deep copy keeping Dates (each side gets its own: class-transformer copies, it must not see the other's). */
function copy<T>(value: T): T {
  return structuredClone(value);
}

describe('checkRecordInteractions (the validation pipe’s fast check of ingestion)', () => {
  it('accepts exactly what the full validation accepts, and answers the same instance', async () => {
    const random = seededRandom(20261205);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 2_000; i++) {
      const value = input(random);
      const fast = checkRecordInteractions(copy(value));
      const full = await fullValidation(copy(value));
      if (full === undefined) {
        expect({ value, fast }).toEqual({ value, fast: undefined });
        refused++;
        continue;
      }
      accepted++;
      if (fast === undefined)
        throw new Error(`refused by the fast check only: ${JSON.stringify(value)}`);
      expect(fast).toBeInstanceOf(RecordInteractionsInput);
      expect(fast).toStrictEqual(full);
      fast.interactions.forEach((one) => expect(one).toBeInstanceOf(InteractionInput));
    }
    // Both kinds were tried, in numbers.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(300);
  });

  it('trims lead ids and copies dates as class-transformer does', () => {
    const occurredAt = new Date('2026-12-01T10:00:00Z');
    const value = {
      interactions: [
        { leadId: ' L-1 ', type: 'EMAIL_OPEN', occurredAt, idempotencyKey: 'k' },
        {
          leadId: 'L-2',
          type: 'ACTIVITY',
          occurredAt: '2026-12-01T10:00:00Z',
          idempotencyKey: 'j',
        },
      ],
      acknowledge: 'LOGGED',
    };
    const checked = checkRecordInteractions(value)!;
    expect(checked.interactions[0].leadId).toBe('L-1');
    expect(checked.interactions[0].occurredAt).toEqual(occurredAt);
    expect(checked.interactions[0].occurredAt).not.toBe(occurredAt);
    expect(checked.interactions[1].occurredAt).toEqual(occurredAt);
  });

  it('knows every rule of the two classes: a new or changed decorator fails here until it does', () => {
    const rules = (target: object) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(target as new () => object, '', false, false)
        .map(
          (rule) =>
            `${rule.propertyName} ${rule.name ?? rule.type} ${JSON.stringify(rule.constraints ?? [])}${rule.each ? ' each' : ''}`,
        )
        .sort();
    expect(rules(RecordInteractionsInput)).toEqual([
      'acknowledge isEnum [{"APPLIED":"APPLIED","LOGGED":"LOGGED"},["APPLIED","LOGGED"]]',
      'acknowledge isOptional [null]',
      'interactions arrayMaxSize [1000]',
      'interactions arrayMinSize [1]',
      'interactions nestedValidation [] each',
    ]);
    expect(rules(InteractionInput)).toEqual([
      'idempotencyKey isLength [1,200]',
      'idempotencyKey isString []',
      'leadId isLength [1,128]',
      'leadId isString []',
      'metadata isBoundedJsonObject []',
      'metadata isOptional [null]',
      'occurredAt isDate []',
      'secondsSpent isNumber [{"allowNaN":false,"allowInfinity":false}]',
      'secondsSpent isOptional [null]',
      'secondsSpent max [86400]',
      'secondsSpent min [0]',
      'type isEnum [{"EMAIL_OPEN":"EMAIL_OPEN","WEBSITE_VISIT":"WEBSITE_VISIT","ACTIVITY":"ACTIVITY"},["EMAIL_OPEN","WEBSITE_VISIT","ACTIVITY"]]',
    ]);
  });
});
