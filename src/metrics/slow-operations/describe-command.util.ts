import { filterShape } from './filter-shape.util';

/** What a slow command's log line says about it: where it ran and the shape of what it matched. */
export interface CommandDescription {
  readonly collection?: string;
  /**
   * The shape of the command's filter (`filterShape`); for a write of several statements, the
   * distinct shapes of their filters, `|`-separated.
   */
  readonly filter?: string;
  /** Documents of an insert. */
  readonly documents?: number;
  /** Statements of an update, a delete or a bulkWrite. */
  readonly statements?: number;
  /** An aggregation's stage names in order (`$match > $sort > $limit`). */
  readonly stages?: string;
}

type CommandDocument = Readonly<Record<string, unknown>>;

const STATEMENTS_LOOKED_AT = 20;
const MAX_STATEMENT_SHAPES = 3;
const MAX_STAGES = 12;

/**
 * Reads a command document as the driver's command monitoring hands it over (`commandStarted`):
 * the collection is the value of the command's first key (its name), the filter where each
 * command keeps it: `filter` (find), `query` (count, distinct, findAndModify), `q` of each
 * statement (update, delete), the first stage's `$match` (aggregate). Never a value.
 */
export function describeCommand(commandName: string, command: CommandDocument): CommandDescription {
  const collection = collectionOf(commandName, command);
  switch (commandName) {
    case 'find':
      return { collection, ...filterOf(command.filter) };
    case 'count':
    case 'distinct':
    case 'findAndModify':
    case 'findandmodify':
      return { collection, ...filterOf(command.query) };
    case 'aggregate':
      return { collection, ...describePipeline(command.pipeline) };
    case 'update':
      return { collection, ...describeStatements(command.updates, 'q') };
    case 'delete':
      return { collection, ...describeStatements(command.deletes, 'q') };
    case 'bulkWrite':
      return { collection, ...describeStatements(command.ops, 'filter') };
    case 'insert':
      return { collection, documents: listOf(command.documents)?.length ?? 0 };
    default:
      return { collection };
  }
}

function collectionOf(commandName: string, command: CommandDocument): string | undefined {
  if (commandName === 'getMore') return textOrUndefined(command.collection);
  if (commandName === 'bulkWrite') {
    // A client bulk write names its namespaces ("db.collection") in nsInfo.
    const first = listOf(command.nsInfo)?.[0] as { ns?: unknown } | undefined;
    const ns = textOrUndefined(first?.ns);
    return ns === undefined ? undefined : ns.slice(ns.indexOf('.') + 1);
  }
  // Commands that run on a database (`aggregate: 1`, `listCollections: 1`) name no collection.
  return textOrUndefined(command[commandName]);
}

function filterOf(filter: unknown): { filter?: string } {
  return filter === undefined ? {} : { filter: filterShape(filter) };
}

function describePipeline(pipeline: unknown): { filter?: string; stages?: string } {
  const stages = listOf(pipeline);
  if (stages === undefined) return {};
  const names = stages.slice(0, MAX_STAGES).map((stage) => stageName(stage));
  if (stages.length > MAX_STAGES) names.push(`…+${stages.length - MAX_STAGES}`);
  const first = stages[0] as Record<string, unknown> | undefined;
  const match = isObject(first) && '$match' in first ? first.$match : undefined;
  return { ...filterOf(match), stages: names.join(' > ') };
}

function stageName(stage: unknown): string {
  if (!isObject(stage)) return '?';
  const name = Object.keys(stage)[0];
  // Stage names are operators; anything else is not printed.
  return name?.startsWith('$') && name.length <= 32 ? name : '?';
}

function describeStatements(
  statements: unknown,
  filterKey: 'q' | 'filter',
): { filter?: string; statements: number } {
  const list = listOf(statements) ?? [];
  const shapes: string[] = [];
  for (const statement of list.slice(0, STATEMENTS_LOOKED_AT)) {
    if (!isObject(statement) || !(filterKey in statement)) continue;
    const shape = filterShape(statement[filterKey]);
    if (!shapes.includes(shape)) shapes.push(shape);
  }
  if (shapes.length === 0) return { statements: list.length };
  const kinds = shapes.slice(0, MAX_STATEMENT_SHAPES);
  if (shapes.length > MAX_STATEMENT_SHAPES) kinds.push('…');
  return { filter: kinds.join(' | '), statements: list.length };
}

/** An array, or the documents of a driver DocumentSequence (OP_MSG payload type 1). */
function listOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  const documents = isObject(value) ? value.documents : undefined;
  return Array.isArray(documents) ? (documents as unknown[]) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
