import { TRAINED_MODEL_TYPES, TrainedModelType } from '@/ml/models/trained-model';

export const SETUP_ADVICE_LIMITS = {
  excludeMax: 50,
  reasonMaxLength: 300,
  notesMax: 5,
} as const;

export const ADVICE_CONCERNS = ['POSSIBLE_LEAKAGE', 'IDENTIFIER', 'NO_SIGNAL', 'OTHER'] as const;
export type AdviceConcern = (typeof ADVICE_CONCERNS)[number];

const L = SETUP_ADVICE_LIMITS;

/**
 * For `response_format: { type: 'json_schema', json_schema: { name: 'model_setup_advice', strict:
 * true, schema } }`. Strict mode: every property required, no others; lengths in descriptions
 * (strict mode refuses string length keywords). `parseSetupAdvice` checks everything again.
 */
export const SETUP_ADVICE_JSON_SCHEMA = {
  type: 'object',
  properties: {
    excludeColumns: {
      type: 'array',
      description: `Columns to leave out that the automatic proposal still uses, at most ${L.excludeMax}.`,
      maxItems: L.excludeMax,
      items: {
        type: 'object',
        properties: {
          column: { type: 'string', description: 'The column name exactly as in the profile.' },
          concern: { type: 'string', enum: [...ADVICE_CONCERNS] },
          reason: {
            type: 'string',
            description: `Why, for the admin, at most ${L.reasonMaxLength} characters.`,
          },
        },
        required: ['column', 'concern', 'reason'],
        additionalProperties: false,
      },
    },
    modelType: { type: 'string', enum: [...TRAINED_MODEL_TYPES] },
    modelReason: {
      type: 'string',
      description: `Why this model type, at most ${L.reasonMaxLength} characters.`,
    },
    notes: {
      type: 'array',
      description: `Up to ${L.notesMax} other remarks for the admin, each at most ${L.reasonMaxLength} characters.`,
      maxItems: L.notesMax,
      items: { type: 'string' },
    },
  },
  required: ['excludeColumns', 'modelType', 'modelReason', 'notes'],
  additionalProperties: false,
} as const;

export interface AdvisedExclusion {
  readonly column: string;
  readonly concern: AdviceConcern;
  readonly reason: string;
}

export interface SetupAdvice {
  readonly excludeColumns: readonly AdvisedExclusion[];
  readonly modelType: TrainedModelType;
  readonly modelReason: string;
  readonly notes: readonly string[];
}

export type ParseAdviceResult = { ok: true; value: SetupAdvice } | { ok: false; reason: string };

class AdviceError extends Error {}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new AdviceError(`${path} is not a string`);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new AdviceError(`${path} is empty`);
  if (trimmed.length > L.reasonMaxLength)
    throw new AdviceError(`${path} is longer than ${L.reasonMaxLength} characters`);
  return trimmed;
}

function list(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new AdviceError(`${path} is not an array`);
  if (value.length > max) throw new AdviceError(`${path} has more than ${max} items`);
  return value;
}

function record(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AdviceError(`${path} is not an object`);
  const extra = Object.keys(value).filter((key) => !keys.includes(key));
  if (extra.length > 0) throw new AdviceError(`${path} has unexpected fields: ${extra.join(', ')}`);
  return value as Record<string, unknown>;
}

/**
 * The model's answer, checked against the schema again and against the profile: every column it
 * names must be one of `columns` (a made-up name is an invalid answer, not a silent no-op); the
 * same column twice counts once.
 */
export function parseSetupAdvice(content: string, columns: readonly string[]): ParseAdviceResult {
  try {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      throw new AdviceError('the answer is not JSON');
    }
    const answer = record(json, 'answer', SETUP_ADVICE_JSON_SCHEMA.required);
    const known = new Set(columns);
    const seen = new Set<string>();
    const excludeColumns: AdvisedExclusion[] = [];
    list(answer.excludeColumns, 'excludeColumns', L.excludeMax).forEach((item, i) => {
      const path = `excludeColumns.${i}`;
      const entry = record(item, path, ['column', 'concern', 'reason']);
      if (typeof entry.column !== 'string') throw new AdviceError(`${path}.column is not a string`);
      if (!known.has(entry.column))
        throw new AdviceError(`${path}.column: unknown column ${JSON.stringify(entry.column)}`);
      if (!ADVICE_CONCERNS.includes(entry.concern as AdviceConcern))
        throw new AdviceError(`${path}.concern is not one of ${ADVICE_CONCERNS.join(', ')}`);
      const reason = text(entry.reason, `${path}.reason`);
      if (seen.has(entry.column)) return;
      seen.add(entry.column);
      excludeColumns.push({
        column: entry.column,
        concern: entry.concern as AdviceConcern,
        reason,
      });
    });
    if (!TRAINED_MODEL_TYPES.includes(answer.modelType as TrainedModelType))
      throw new AdviceError(`modelType is not one of ${TRAINED_MODEL_TYPES.join(', ')}`);
    return {
      ok: true,
      value: {
        excludeColumns,
        modelType: answer.modelType as TrainedModelType,
        modelReason: text(answer.modelReason, 'modelReason'),
        notes: list(answer.notes, 'notes', L.notesMax).map((note, i) => text(note, `notes.${i}`)),
      },
    };
  } catch (error) {
    if (error instanceof AdviceError) return { ok: false, reason: error.message };
    throw error;
  }
}
