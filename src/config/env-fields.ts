import { z } from 'zod';

import type { FeatureTriple } from './app-config';

/**
 * Builders of the schema of one environment variable: its coercion, default and rule, with the
 * messages the configuration error shows after `NAME: `. `(got "...")` is added by the caller,
 * which knows which variables are secret.
 */

/** Trimmed; blank counts as absent, so `PORT=` in a compose file means "the default". */
export function blankAsAbsent(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A variable as it arrives from the environment: a string, maybe blank, maybe absent. */
export function fromEnv<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankAsAbsent, schema);
}

/** `fallback` may be a function, for a default computed per load (INSTANCE_ID). */
export function text(fallback: string | (() => string)) {
  const makeDefault = typeof fallback === 'string' ? () => fallback : fallback;
  return fromEnv(z.string().default(makeDefault));
}

export function optionalText() {
  return fromEnv(z.string().optional());
}

export function matching(pattern: RegExp, description: string, fallback: string) {
  return fromEnv(z.string().regex(pattern, { error: description }).default(fallback));
}

export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) {
  return fromEnv(
    z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(fallback),
  );
}

export function integer(fallback: number, range: { min?: number; max?: number } = {}) {
  // abort: a fraction is one problem, not also "must be at least".
  let schema = z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number', abort: true });
  if (range.min !== undefined)
    schema = schema.min(range.min, { error: `must be at least ${range.min}` });
  if (range.max !== undefined)
    schema = schema.max(range.max, { error: `must be at most ${range.max}` });
  return fromEnv(schema.default(fallback));
}

export function positiveNumber(fallback: number) {
  return fromEnv(
    z.coerce
      .number({ error: 'must be a number' })
      .gt(0, { error: 'must be greater than 0' })
      .default(fallback),
  );
}

export function flag(fallback: boolean) {
  return fromEnv(
    z
      .stringbool({
        truthy: ['true', '1', 'yes'],
        falsy: ['false', '0', 'no'],
        error: 'must be true or false',
      })
      .default(fallback),
  );
}

/** An optional URL whose scheme is one of `protocols` (without the colon). */
export function url(protocols: readonly string[]) {
  return fromEnv(
    z
      .url({ error: 'must be a URL', abort: true })
      .refine((value) => protocols.includes(new URL(value).protocol.replace(/:$/, '')), {
        error: `must use ${protocols.join(' or ')}`,
      })
      .optional(),
  );
}

// mongodb://[user:password@]host[:port][,host[:port]...][/database][?options]: a replica set or a
// list of mongos routers names several hosts, which WHATWG URL parsing refuses.
const MONGO_CONNECTION_STRING =
  /^mongodb(\+srv)?:\/\/([^@/?#\s]+@)?[A-Za-z0-9._%[\]:-]+(,[A-Za-z0-9._%[\]:-]+)*(\/[^?#\s]*)?(\?[^#\s]*)?$/;

/** An optional MongoDB connection string (one host or several). */
export function mongoUri() {
  return fromEnv(
    z
      .string()
      .superRefine((value, ctx) => {
        const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
        const message =
          scheme === undefined
            ? 'must be a URL'
            : scheme !== 'mongodb' && scheme !== 'mongodb+srv'
              ? 'must use mongodb or mongodb+srv'
              : MONGO_CONNECTION_STRING.test(value)
                ? undefined
                : 'must be a MongoDB connection string (mongodb://[user:password@]host[:port][,host...][/database][?options])';
        if (message !== undefined) ctx.addIssue({ code: 'custom', message });
      })
      .optional(),
  );
}

/** `a,b,c`: three numbers in the order emailOpens, websiteVisits, timeSpent. */
export function featureTriple(
  fallback: FeatureTriple,
  rule: { positive: boolean; positiveSum?: boolean },
) {
  const expected = rule.positive ? 'positive' : 'non-negative';
  const acceptable = (n: number) => Number.isFinite(n) && (rule.positive ? n > 0 : n >= 0);
  return fromEnv(
    z
      .string()
      .transform((value, ctx): FeatureTriple => {
        const parts = value.split(',').map((part) => Number(part.trim()));
        if (parts.length !== 3 || !parts.every(acceptable)) {
          ctx.issues.push({
            code: 'custom',
            input: value,
            message: `must be three comma-separated ${expected} numbers for emailOpens,websiteVisits,timeSpent`,
          });
          return z.NEVER;
        }
        if (rule.positiveSum && parts[0] + parts[1] + parts[2] <= 0) {
          ctx.issues.push({
            code: 'custom',
            input: value,
            message: 'the three numbers must have a positive sum',
          });
          return z.NEVER;
        }
        return [parts[0], parts[1], parts[2]];
      })
      .default(fallback),
  );
}
