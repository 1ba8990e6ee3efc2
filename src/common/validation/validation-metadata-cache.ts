import { getMetadataStorage } from 'class-validator';

/** What of class-validator's MetadataStorage the cache wraps (its own methods, same signatures). */
interface Storage {
  getTargetValidationMetadatas(
    target: unknown,
    schema: string | undefined,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): unknown[];
  groupByPropertyName(metadatas: unknown[]): Record<string, unknown[]>;
  addValidationMetadata(metadata: unknown): void;
  addConstraintMetadata(metadata: unknown): void;
  addValidationSchema(schema: unknown): void;
}

const INSTALLED = Symbol.for('leadscoring.validationMetadataCache');

/**
 * class-validator looks a class's rules up again for every object it validates: it filters every
 * rule of the class and walks every class it knows (`instanceof` each) for inherited ones, then
 * groups them by property, all anew. For the 1,000 items of a `recordInteractions` call that was
 * ~20 % of the validation pipe's CPU (2.5–3 of ~13 ms, more with the garbage it leaves). The
 * rules only change when a decorator or schema registers one, so both answers are remembered per
 * (class, options) and forgotten at any registration. The arrays are returned as they were built
 * and only read by class-validator (its ValidationExecutor filters and iterates them).
 */
export function installValidationMetadataCache(): void {
  const storage = getMetadataStorage() as unknown as Storage & { [INSTALLED]?: true };
  if (storage[INSTALLED]) return;
  storage[INSTALLED] = true;

  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  let rules = new Map<unknown, Map<string, unknown[]>>();
  let grouped = new WeakMap<unknown[], Record<string, unknown[]>>();
  const forget = (): void => {
    rules = new Map();
    grouped = new WeakMap();
  };

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema ?? ''}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? '-'}`;
    let byOptions = rules.get(target);
    if (!byOptions) rules.set(target, (byOptions = new Map<string, unknown[]>()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadatas) => {
    let found = grouped.get(metadatas);
    if (!found) grouped.set(metadatas, (found = group(metadatas)));
    return found;
  };
  for (const method of [
    'addValidationMetadata',
    'addConstraintMetadata',
    'addValidationSchema',
  ] as const) {
    const register = storage[method].bind(storage);
    storage[method] = (value: unknown) => {
      forget();
      register(value);
    };
  }
}
