/**
 * The shape of a MongoDB filter or command document, for logs: field names and operators as they
 * are, every value replaced by its type, so that two queries differing only in their values read
 * the same (and group together) and no tenant's data reaches a log line.
 *
 *   { tenantId: ObjectId(…), status: { $in: ['NEW', 'QUALIFIED'] }, score: { $gte: 40 } }
 *   → {tenantId: <ObjectId>, status: {$in: [<string> ×2]}, score: {$gte: <number>}}
 *
 * Arrays give the distinct shapes of their first items and their length (`[<string>|<null> ×3]`).
 * Bounded whatever the input: nesting, keys per object, items looked at, nodes visited and length.
 */
export function filterShape(value: unknown): string {
  const text = shapeOf(value, 0, { nodes: 0 });
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

const MAX_DEPTH = 6;
const MAX_KEYS = 20;
const MAX_ITEMS_LOOKED_AT = 10;
const MAX_ITEM_SHAPES = 3;
const MAX_NODES = 200;
const MAX_LENGTH = 600;
const MAX_FIELD_NAME_LENGTH = 64;

/** BSON values by their `_bsontype`; an unknown one is treated as a plain object (no name leaks). */
const BSON_LEAVES: Readonly<Record<string, string>> = {
  ObjectId: '<ObjectId>',
  ObjectID: '<ObjectId>',
  Decimal128: '<decimal>',
  Long: '<long>',
  Int32: '<number>',
  Double: '<number>',
  Timestamp: '<timestamp>',
  BSONRegExp: '<regex>',
  Code: '<code>',
  MinKey: '<MinKey>',
  MaxKey: '<MaxKey>',
  BSONSymbol: '<symbol>',
  DBRef: '<DBRef>',
};
const UUID_SUBTYPE = 4;

interface Budget {
  nodes: number;
}

function shapeOf(value: unknown, depth: number, budget: Budget): string {
  budget.nodes += 1;
  if (budget.nodes > MAX_NODES) return '…';
  if (value === null) return '<null>';
  switch (typeof value) {
    case 'string':
      return '<string>';
    case 'number':
    case 'bigint':
      return '<number>';
    case 'boolean':
      return '<bool>';
    case 'undefined':
      return '<undefined>';
    case 'function':
      return '<function>';
    case 'symbol':
      return '<symbol>';
  }
  if (value instanceof Date) return '<date>';
  if (value instanceof RegExp) return '<regex>';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '<binary>';
  const bson = bsonLeaf(value);
  if (bson !== undefined) return bson;
  if (Array.isArray(value)) return arrayShape(value, depth, budget);
  if (value instanceof Map || value instanceof Set) return '<object>';
  return objectShape(value as Record<string, unknown>, depth, budget);
}

function bsonLeaf(value: { _bsontype?: unknown; sub_type?: unknown }): string | undefined {
  const type = value._bsontype;
  if (typeof type !== 'string') return undefined;
  if (type === 'Binary') return value.sub_type === UUID_SUBTYPE ? '<uuid>' : '<binary>';
  return Object.hasOwn(BSON_LEAVES, type) ? BSON_LEAVES[type] : undefined;
}

function arrayShape(items: readonly unknown[], depth: number, budget: Budget): string {
  if (items.length === 0) return '[]';
  const count = items.length === 1 ? '' : ` ×${items.length}`;
  if (depth >= MAX_DEPTH) return `[…${count}]`;
  const shapes: string[] = [];
  for (let i = 0; i < Math.min(items.length, MAX_ITEMS_LOOKED_AT); i += 1) {
    const shape = shapeOf(items[i], depth + 1, budget);
    if (!shapes.includes(shape)) shapes.push(shape);
  }
  const kinds = shapes.slice(0, MAX_ITEM_SHAPES);
  if (shapes.length > MAX_ITEM_SHAPES) kinds.push('…');
  return `[${kinds.join('|')}${count}]`;
}

function objectShape(object: Record<string, unknown>, depth: number, budget: Budget): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return '{}';
  if (depth >= MAX_DEPTH) return '{…}';
  const fields = keys
    .slice(0, MAX_KEYS)
    .map((key) => `${fieldName(key)}: ${shapeOf(object[key], depth + 1, budget)}`);
  if (keys.length > MAX_KEYS) fields.push(`…+${keys.length - MAX_KEYS}`);
  return `{${fields.join(', ')}}`;
}

/**
 * Field names are kept (they are the schema, not the data), except the parts of a dotted path
 * that look like identifiers (`scores.<id>.value` for a map keyed by lead id), and a name holding
 * an email altogether.
 */
export function fieldName(key: string): string {
  // An email's dots would split it into innocent-looking parts: the whole name goes.
  if (key.includes('@')) return '<id>';
  const name = key.includes('.')
    ? key
        .split('.')
        .map((part) => (looksLikeId(part) ? '<id>' : part))
        .join('.')
    : looksLikeId(key)
      ? '<id>'
      : key;
  return name.length > MAX_FIELD_NAME_LENGTH ? `${name.slice(0, MAX_FIELD_NAME_LENGTH)}…` : name;
}

const HEX_ID = /^[0-9a-f]{16,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONG_NUMBER = /^\d{5,}$/;

function looksLikeId(part: string): boolean {
  return HEX_ID.test(part) || UUID.test(part) || LONG_NUMBER.test(part);
}
