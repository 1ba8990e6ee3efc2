/**
 * A lead's raw features: the flat name → value record every model is trained on and scored from.
 * Pure: no clock (the caller passes `at`), no I/O.
 */

export type RawValue = number | string | boolean | null;
export type RawFeatures = Record<string, RawValue>;

export const ENGAGEMENT_FEATURES = [
  'emailOpens',
  'websiteVisits',
  'timeSpentSeconds',
  'daysSinceLastActivity',
] as const;
export type EngagementFeature = (typeof ENGAGEMENT_FEATURES)[number];

export interface LeadFeatureSource {
  readonly emailOpens: number;
  readonly websiteVisits: number;
  readonly timeSpentSeconds: number;
  readonly lastActivityAt: Date | null;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Attribute paths longer than this are not flattened further: the object there becomes JSON. */
export const MAX_ATTRIBUTE_DEPTH = 3;
/** The prefix an attribute gets when its name is taken by an engagement feature. */
export const ATTRIBUTE_COLLISION_PREFIX = 'attributes.';

const DAY_MS = 86_400_000;
const ENGAGEMENT_NAMES: ReadonlySet<string> = new Set(ENGAGEMENT_FEATURES);

/** Missing as far as every feature computation is concerned: null, undefined, NaN, ±Infinity. */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && !isFinite(value));
}

/**
 * One scalar as a raw value: finite numbers as they are, NaN/±Infinity → null, strings trimmed
 * (empty → null), booleans as they are, null/undefined → null. Objects are the caller's business
 * (`rawFeaturesOf` flattens them); anything else that reaches here is turned into text so that it
 * is at least seen.
 */
export function toRawValue(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string': {
      const trimmed = value.trim();
      return trimmed === '' ? null : trimmed;
    }
    case 'boolean':
      return value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      return objectAsText(value);
    default:
      // Functions and symbols are not data.
      return null;
  }
}

/**
 * The raw features of a lead as of `at` — the ONE path used to build training rows (at = outcome
 * time) and to score a live lead (at = now), so both see exactly the same encoding.
 *
 * Attributes: nested plain objects are flattened with `.` until a name has MAX_ATTRIBUTE_DEPTH
 * parts (`{a: {b: {c: {d: 1}}}}` → `a.b.c` = `{"d":1}`); arrays and deeper objects become their
 * JSON text. An attribute named like an engagement feature becomes `attributes.<name>`. Should two
 * paths still land on one name (`{'a.b': 1, a: {b: 2}}`), the shallower one wins, then the one
 * whose path sorts first, so the result never depends on the order keys were stored in.
 */
export function rawFeaturesOf(lead: LeadFeatureSource, at: Date): RawFeatures {
  const features = new Map<string, RawValue>([
    ['emailOpens', toRawValue(lead.emailOpens)],
    ['websiteVisits', toRawValue(lead.websiteVisits)],
    ['timeSpentSeconds', toRawValue(lead.timeSpentSeconds)],
    ['daysSinceLastActivity', daysSince(lead.lastActivityAt, at)],
  ]);

  const candidates: AttributeCandidate[] = [];
  collectAttributes(lead.attributes ?? {}, [], candidates);
  candidates.sort(byDepthThenPath);
  for (const candidate of candidates) {
    if (!features.has(candidate.name)) features.set(candidate.name, candidate.value);
  }
  // Object.fromEntries defines own properties, so an attribute called `__proto__` stays a feature.
  return Object.fromEntries<RawValue>(features);
}

function daysSince(last: Date | null, at: Date): number | null {
  if (!(last instanceof Date)) return null;
  const elapsed = at.getTime() - last.getTime();
  if (!Number.isFinite(elapsed)) return null;
  // A future activity date (clock skew) counts as "now". Six decimals (~0.09 s) keep the value
  // stable across float noise in stored dates without losing anything a model could use.
  return Math.round(Math.max(0, elapsed / DAY_MS) * 1e6) / 1e6;
}

interface AttributeCandidate {
  readonly name: string;
  readonly path: readonly string[];
  readonly value: RawValue;
}

function collectAttributes(
  object: Readonly<Record<string, unknown>>,
  path: readonly string[],
  out: AttributeCandidate[],
): void {
  for (const [key, value] of Object.entries(object)) {
    const keyPath = [...path, key];
    if (isPlainObject(value) && keyPath.length < MAX_ATTRIBUTE_DEPTH) {
      collectAttributes(value, keyPath, out);
      continue;
    }
    const name =
      keyPath.length === 1 && ENGAGEMENT_NAMES.has(key)
        ? ATTRIBUTE_COLLISION_PREFIX + key
        : keyPath.join('.');
    out.push({ name, path: keyPath, value: toRawValue(value) });
  }
}

function byDepthThenPath(a: AttributeCandidate, b: AttributeCandidate): number {
  if (a.path.length !== b.path.length) return a.path.length - b.path.length;
  for (let i = 0; i < a.path.length; i++) {
    if (a.path[i] !== b.path[i]) return a.path[i] < b.path[i] ? -1 : 1;
  }
  return 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function objectAsText(value: object): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  try {
    const json = JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === 'bigint' ? inner.toString() : inner,
    );
    if (json === undefined) return null;
    // Values that serialise as a JSON string (ObjectId, Decimal128...) are that string, unquoted.
    const parsed = JSON.parse(json) as unknown;
    return typeof parsed === 'string' ? (toRawValue(parsed) as string | null) : json;
  } catch {
    // A cycle: there is no text for it.
    return null;
  }
}
