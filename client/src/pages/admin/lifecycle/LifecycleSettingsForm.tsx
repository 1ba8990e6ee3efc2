import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';

import type { AdminLifecycleFragment, TrainableModelType } from '../../../gql/graphql';
import { errorMessage } from '../../../ui/ErrorState';
import { fieldErrors } from '../components/apiErrors';
import { CheckboxField, Field } from '../components/Field';
import { buttonPrimary, buttonSecondary } from '../components/styles';
import { modelTypeLabel } from '../models/modelLabels';
import { ParamFields } from '../models/ParamFields';
import { TRAINABLE_TYPES } from '../models/paramSpecs';
import {
  formFromLifecycle,
  lifecycleChanges,
  type LifecycleFormErrors,
  type LifecycleFormState,
} from './lifecycleForm';
import { UPDATE_MODEL_LIFECYCLE } from './operations';

/** API paths of bad fields → this form's fields. */
const SERVER_FIELD: Record<string, string> = {
  'promotion.maxAucDrop': 'maxAucDrop',
  'promotion.maxBrierIncrease': 'maxBrierIncreasePercent',
  'promotion.maxChampionAgeDays': 'maxChampionAgeDays',
};

/** Edits the settings; sends only the fields changed. */
export function LifecycleSettingsForm({
  current,
  onSaved,
  onCancel,
}: {
  current: AdminLifecycleFragment;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<LifecycleFormState>(() => formFromLifecycle(current));
  const [errors, setErrors] = useState<LifecycleFormErrors>({});
  const [update, { loading, error }] = useMutation(UPDATE_MODEL_LIFECYCLE, {
    refetchQueries: ['AdminModelLifecycle'],
  });
  const server: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(error)))
    server[SERVER_FIELD[path] ?? path] = message;
  const errorOf = (key: string) => errors[key] ?? server[key];
  const set = <K extends keyof LifecycleFormState>(key: K, value: LifecycleFormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = lifecycleChanges(current, form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const changed = Object.keys(checked.input);
    if (changed.length === 0) {
      onSaved('Nothing changed.');
      return;
    }
    const result = await update({ variables: { input: checked.input } }).catch(() => null);
    if (result?.data) onSaved(`Saved: ${changed.join(', ')}.`);
  };

  const paramErrors: Record<string, string | undefined> = {};
  for (const key of Object.keys({ ...errors, ...server }))
    if (key.startsWith('params.')) paramErrors[key.slice(7)] = errorOf(key);

  const text = (key: keyof LifecycleFormState, label: string, hint: string) => (
    <Field label={label} hint={hint} error={errorOf(key)}>
      {(p) => (
        <input
          {...p}
          inputMode="decimal"
          value={form[key] as string}
          onChange={(e) => set(key, e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form
      aria-label="Lifecycle settings"
      noValidate
      onSubmit={(e) => void submit(e)}
      className="space-y-5"
    >
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Schedule</legend>
        <CheckboxField
          label="Retrain on a schedule"
          checked={form.retrainingEnabled}
          onChange={(v) => set('retrainingEnabled', v)}
        />
        <div className="grid gap-4 sm:grid-cols-3">
          {text('cadenceDays', 'Every (days)', '1 to 90.')}
        </div>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Challenger</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Challenger model type" error={errorOf('modelType')}>
            {(p) => (
              <select
                {...p}
                value={form.modelType}
                onChange={(e) =>
                  setForm((f) => ({
                    ...f,
                    modelType: e.target.value as TrainableModelType,
                    params: {},
                  }))
                }
              >
                {TRAINABLE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {modelTypeLabel(t)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ParamFields
          modelType={form.modelType}
          values={form.params}
          errors={paramErrors}
          onChange={(name, value) =>
            setForm((f) => ({ ...f, params: { ...f.params, [name]: value } }))
          }
        />
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Promotion rule</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          {text(
            'maxAucDrop',
            'Max AUC drop',
            'How far the challenger’s AUC may fall below the champion’s; 0 to 0.1.',
          )}
          {text(
            'maxBrierIncreasePercent',
            'Max Brier increase (%)',
            'How much worse its Brier score may be; 0 to 100 %.',
          )}
          {text(
            'maxChampionAgeDays',
            'Max champion age (days)',
            'An older trained champion is replaced anyway; 1 to 3650.',
          )}
        </div>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Drift and minimum data</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          {text('driftThreshold', 'Drift threshold (PSI)', 'A PSI above it is flagged; 0.01 to 5.')}
          {text('minConverted', 'Minimum converted leads', '1 or more.')}
          {text('minLost', 'Minimum lost leads', '1 or more.')}
        </div>
        <CheckboxField
          label="Retrain when drift is flagged"
          checked={form.retrainOnDrift}
          onChange={(v) => set('retrainOnDrift', v)}
        />
      </fieldset>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {errorMessage(error)}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonPrimary} disabled={loading}>
          {loading ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" className={buttonSecondary} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
