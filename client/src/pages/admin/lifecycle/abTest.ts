import type { StartAbTestInput } from '../../../gql/graphql';

export interface AbStartForm {
  modelA: string;
  modelB: string;
  /** Share of leads in arm A, in percent. */
  sharePercent: string;
}

export type AbStartResult =
  | { ok: true; input: StartAbTestInput }
  | { ok: false; errors: Partial<Record<keyof AbStartForm, string>> };

/** Two different models and a share strictly between 0 and 100 % (the API's 0 < share < 1). */
export function toStartAbTestInput(form: AbStartForm): AbStartResult {
  const errors: Partial<Record<keyof AbStartForm, string>> = {};
  if (!form.modelA) errors.modelA = 'Choose the model of arm A.';
  if (!form.modelB) errors.modelB = 'Choose the model of arm B.';
  else if (form.modelA && form.modelA === form.modelB)
    errors.modelB = 'Choose another model than arm A’s.';
  const percent = form.sharePercent.trim() === '' ? Number.NaN : Number(form.sharePercent);
  if (!Number.isFinite(percent) || percent <= 0 || percent >= 100)
    errors.sharePercent = 'A percentage strictly between 0 and 100.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      modelA: form.modelA,
      modelB: form.modelB,
      share: Number((percent / 100).toPrecision(12)),
    },
  };
}

/** The two-proportion test in words, at the usual 5 % level. */
export function significanceText(pValue: number | null | undefined): string {
  if (pValue === null || pValue === undefined) return 'Not enough outcomes to test yet.';
  return pValue < 0.05
    ? `The arms differ (p = ${pValue.toFixed(3)}, significant at 5 %).`
    : `No significant difference yet (p = ${pValue.toFixed(3)}).`;
}
