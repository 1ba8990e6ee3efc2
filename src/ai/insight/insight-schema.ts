import type { InsightContent } from './insight.types';

/**
 * The limits of an insight. Lengths are JavaScript string lengths (UTF-16 code units) of the
 * trimmed text: never fewer than the characters a person counts, so a limit holds either way.
 */
export const INSIGHT_LIMITS = {
  summaryMaxLength: 600,
  nextBestActionMaxLength: 300,
  itemMaxLength: 200,
  talkingPointsMin: 1,
  talkingPointsMax: 5,
  risksMin: 0,
  risksMax: 5,
  fitEstimateMin: 0,
  fitEstimateMax: 100,
} as const;

const L = INSIGHT_LIMITS;

/**
 * The JSON Schema for `response_format: { type: 'json_schema', json_schema: { name: 'lead_insight',
 * strict: true, schema: INSIGHT_JSON_SCHEMA } }`.
 *
 * Strict mode: every property required, no additional properties, arrays with `items`. String
 * lengths are stated in the descriptions and not as `maxLength`: strict mode has not accepted
 * string length keywords (a 400 "not permitted" rather than being ignored), while `minItems`,
 * `maxItems`, `minimum` and `maximum` are in its supported subset. `parseInsight` enforces every
 * limit anyway.
 */
export const INSIGHT_JSON_SCHEMA = {
  type: 'object',
  properties: {
    summary: {
      type: 'string',
      description: `A short read of the lead for a sales rep, at most ${L.summaryMaxLength} characters.`,
    },
    nextBestAction: {
      type: 'string',
      description: `The one next step the rep should take, at most ${L.nextBestActionMaxLength} characters.`,
    },
    talkingPoints: {
      type: 'array',
      description: `${L.talkingPointsMin} to ${L.talkingPointsMax} points to raise with the lead, each at most ${L.itemMaxLength} characters.`,
      items: { type: 'string' },
      minItems: L.talkingPointsMin,
      maxItems: L.talkingPointsMax,
    },
    risks: {
      type: 'array',
      description: `${L.risksMin} to ${L.risksMax} risks to the deal, each at most ${L.itemMaxLength} characters.`,
      items: { type: 'string' },
      minItems: L.risksMin,
      maxItems: L.risksMax,
    },
    fitEstimate: {
      type: 'integer',
      description:
        'Your own estimate from the data of how well the lead fits, 0 (no fit) to 100 (ideal fit).',
      minimum: L.fitEstimateMin,
      maximum: L.fitEstimateMax,
    },
  },
  required: ['summary', 'nextBestAction', 'talkingPoints', 'risks', 'fitEstimate'],
  additionalProperties: false,
} as const;

export type ParseInsightResult =
  { ok: true; value: InsightContent } | { ok: false; reason: string };

const FIELDS = INSIGHT_JSON_SCHEMA.required;

class SchemaError extends Error {}

function checkText(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') throw new SchemaError(`${path} is not a string`);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new SchemaError(`${path} is empty`);
  if (trimmed.length > max) throw new SchemaError(`${path} longer than ${max} characters`);
  return trimmed;
}

function list(value: unknown, path: string, min: number, max: number): string[] {
  if (!Array.isArray(value)) throw new SchemaError(`${path} is not an array`);
  if (value.length < min) throw new SchemaError(`${path} has fewer than ${min} items`);
  if (value.length > max) throw new SchemaError(`${path} has more than ${max} items`);
  return value.map((item: unknown, i) => checkText(item, `${path}[${i}]`, L.itemMaxLength));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // Object.prototype of any realm (a structured clone, a vm context), or none.
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * An insight from any value (e.g. a parsed response, or one read back from a cache): exactly the
 * five fields, strings trimmed (the value returned holds the trimmed strings) and non-empty,
 * within the limits. The reason names the first problem: fields in schema order, then extra keys.
 */
export function validateInsight(value: unknown): ParseInsightResult {
  try {
    if (!isPlainObject(value)) throw new SchemaError('the insight is not a JSON object');
    for (const field of FIELDS) {
      if (!Object.prototype.hasOwnProperty.call(value, field)) {
        throw new SchemaError(`${field} is missing`);
      }
    }
    const summary = checkText(value.summary, 'summary', L.summaryMaxLength);
    const nextBestAction = checkText(
      value.nextBestAction,
      'nextBestAction',
      L.nextBestActionMaxLength,
    );
    const talkingPoints = list(
      value.talkingPoints,
      'talkingPoints',
      L.talkingPointsMin,
      L.talkingPointsMax,
    );
    const risks = list(value.risks, 'risks', L.risksMin, L.risksMax);
    const fit = value.fitEstimate;
    if (typeof fit !== 'number' || !Number.isFinite(fit)) {
      throw new SchemaError('fitEstimate is not a number');
    }
    if (!Number.isInteger(fit)) throw new SchemaError('fitEstimate is not an integer');
    if (fit < L.fitEstimateMin || fit > L.fitEstimateMax) {
      throw new SchemaError(`fitEstimate out of range ${L.fitEstimateMin}–${L.fitEstimateMax}`);
    }
    const extra = Object.keys(value).find((key) => !(FIELDS as readonly string[]).includes(key));
    if (extra !== undefined) throw new SchemaError(`unexpected field ${JSON.stringify(extra)}`);
    // `+ 0` turns a -0 into 0.
    return {
      ok: true,
      value: { summary, nextBestAction, talkingPoints, risks, fitEstimate: fit + 0 },
    };
  } catch (error) {
    if (error instanceof SchemaError) return { ok: false, reason: `schema: ${error.message}` };
    return { ok: false, reason: `schema: ${describe(error)}` };
  }
}

/**
 * The model's answer text as an insight. Never throws: malformed JSON gives
 * `malformed JSON: <parser message>`, a shape problem `schema: <path> <problem>`.
 */
export function parseInsight(text: string): ParseInsightResult {
  if (typeof text !== 'string') return { ok: false, reason: 'malformed JSON: not a string' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${describe(error)}` };
  }
  return validateInsight(parsed);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
