import { isDate, isEnum, isNumber, length, max, min } from 'class-validator';

import { findJsonProblems } from '@/common/validation/json-bounds.util';
import { jsonInputLimits } from '@/common/validation/json-input-limits';

import { InteractionType } from '../schemas/interaction.schema';
import {
  InteractionAcknowledgement,
  InteractionInput,
  MAX_BATCH,
  RecordInteractionsInput,
} from './lead.inputs';

const INPUT_KEYS = new Set(['interactions', 'acknowledge']);
const ITEM_KEYS = new Set([
  'leadId',
  'type',
  'occurredAt',
  'secondsSpent',
  'idempotencyKey',
  'metadata',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A plain object as JSON parsing or GraphQL's coercion makes it, or one with no prototype: its
 * prototype is some realm's Object.prototype (the root of a chain), not a class's.
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function onlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  return Object.keys(value).every((key) => allowed.has(key));
}

/** An item as the pipe makes it, or undefined (not sure: the full validation decides). */
function checkItem(value: unknown): InteractionInput | undefined {
  if (!isPlainRecord(value) || !onlyKeys(value, ITEM_KEYS)) return undefined;
  const item = new InteractionInput();
  // Only the keys the value has, in its order (class-transformer copies what is there).
  for (const key of Object.keys(value)) {
    const raw = value[key];
    switch (key) {
      case 'leadId': {
        // @Transform(trim), @IsString, @Length(1, 128)
        if (typeof raw !== 'string') return undefined;
        const trimmed = raw.trim();
        if (!length(trimmed, 1, 128)) return undefined;
        item.leadId = trimmed;
        break;
      }
      case 'type':
        if (!isEnum(raw, InteractionType)) return undefined;
        item.type = raw as InteractionType;
        break;
      case 'occurredAt': {
        // @Type(() => Date) (a copy of a Date, else new Date(value)), @IsDate
        const isDateObject = Object.prototype.toString.call(raw) === '[object Date]';
        if (!isDateObject && typeof raw !== 'string' && typeof raw !== 'number') return undefined;
        const date = new Date(isDateObject ? (raw as Date).valueOf() : (raw as string | number));
        if (!isDate(date) || Number.isNaN(date.getTime())) return undefined;
        item.occurredAt = date;
        break;
      }
      case 'secondsSpent':
        // @IsOptional (null or undefined pass), @IsNumber finite, @Min(0), @Max(86_400)
        if (raw !== null && raw !== undefined) {
          if (!isNumber(raw, { allowNaN: false, allowInfinity: false })) return undefined;
          if (!min(raw, 0) || !max(raw, 86_400)) return undefined;
        }
        item.secondsSpent = raw as number;
        break;
      case 'idempotencyKey':
        if (typeof raw !== 'string' || !length(raw, 1, 200)) return undefined;
        item.idempotencyKey = raw;
        break;
      case 'metadata':
        // @IsOptional, @IsBoundedJsonObject (kept as received)
        if (raw !== null && raw !== undefined) {
          if (!isRecord(raw) || findJsonProblems(raw, jsonInputLimits(), 1).length > 0)
            return undefined;
        }
        item.metadata = raw as Record<string, unknown>;
        break;
    }
  }
  if (
    item.leadId === undefined ||
    item.type === undefined ||
    item.occurredAt === undefined ||
    item.idempotencyKey === undefined
  )
    return undefined;
  return item;
}

/**
 * `RecordInteractionsInput` as the validation pipe makes it from a valid value, without
 * class-transformer and class-validator, or undefined when the value may be invalid (the full
 * validation then refuses it with its messages). The same rules as the classes' decorators, by
 * class-validator's own functions; `record-interactions.fast-check.spec.ts` compares the two on
 * generated inputs and fails when a decorator is added or changed that this does not know.
 */
export function checkRecordInteractions(value: unknown): RecordInteractionsInput | undefined {
  if (!isPlainRecord(value) || !onlyKeys(value, INPUT_KEYS)) return undefined;
  const input = new RecordInteractionsInput();
  for (const key of Object.keys(value)) {
    const raw = value[key];
    if (key === 'interactions') {
      // @ArrayMinSize(1), @ArrayMaxSize(MAX_BATCH), @ValidateNested({ each: true }), @Type
      if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_BATCH) return undefined;
      const items: InteractionInput[] = new Array<InteractionInput>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const item = checkItem(raw[i]);
        if (!item) return undefined;
        items[i] = item;
      }
      input.interactions = items;
    } else {
      // acknowledge: @IsOptional, @IsEnum
      if (raw !== null && raw !== undefined && !isEnum(raw, InteractionAcknowledgement))
        return undefined;
      input.acknowledge = raw as InteractionAcknowledgement;
    }
  }
  return input.interactions === undefined ? undefined : input;
}
