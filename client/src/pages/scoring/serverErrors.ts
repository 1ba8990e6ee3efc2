import { CombinedGraphQLErrors } from '@apollo/client';

import { errorMessage } from '../../ui/ErrorState';
import type { ConfigErrors, FieldKey } from './formValues';

const KNOWN: ReadonlySet<string> = new Set<FieldKey>([
  'weights',
  'weights.emailOpens',
  'weights.websiteVisits',
  'weights.timeSpent',
  'caps',
  'caps.emailOpens',
  'caps.websiteVisits',
  'caps.timeSpent',
  'halfLifeDays',
  'thresholds',
  'thresholds.hot',
  'thresholds.warm',
]);

export interface ServerProblems {
  /** Problems the API tied to a field of the form. */
  fields: ConfigErrors;
  /** Everything else, in words. */
  general: string | null;
}

/**
 * An API refusal as the form shows it: BAD_USER_INPUT's `extensions.fields` ({ path, messages })
 * next to their fields (paths as `weights.emailOpens` or `input.weights.emailOpens`), the rest as
 * one message.
 */
export function serverProblems(error: unknown): ServerProblems {
  const fields: ConfigErrors = {};
  const other: string[] = [];
  if (!CombinedGraphQLErrors.is(error)) return { fields, general: errorMessage(error) };
  for (const e of error.errors) {
    const list = e.extensions?.code === 'BAD_USER_INPUT' ? e.extensions?.fields : undefined;
    if (!Array.isArray(list) || list.length === 0) {
      other.push(e.message);
      continue;
    }
    for (const item of list as { path?: unknown; messages?: unknown }[]) {
      const path = typeof item?.path === 'string' ? item.path.replace(/^input\./, '') : '';
      const messages = Array.isArray(item?.messages) ? item.messages.map(String) : [];
      const text = messages.join(' ') || 'Not accepted.';
      if (KNOWN.has(path)) {
        const key = path as FieldKey;
        fields[key] = fields[key] ? `${fields[key]} ${text}` : text;
      } else other.push(path ? `${path}: ${text}` : text);
    }
  }
  const general =
    other.length > 0
      ? other.join(' ')
      : Object.keys(fields).length > 0
        ? 'The server did not accept some values: see the fields marked below.'
        : null;
  return { fields, general };
}
