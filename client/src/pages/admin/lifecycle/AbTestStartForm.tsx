import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';

import type { AdminAbTestFragment } from '../../../gql/graphql';
import { apiError } from '../components/apiErrors';
import { Field } from '../components/Field';
import { buttonPrimary } from '../components/styles';
import { toStartAbTestInput, type AbStartForm } from './abTest';
import { abTestIdOf } from './abTestStore';
import { START_AB_TEST } from './operations';
import { optionLabel, type ModelOption } from './usableModels';

/** Two models and the share of leads in arm A → startAbTest. */
export function AbTestStartForm({
  models,
  onStarted,
  onAlreadyRunning,
}: {
  models: readonly ModelOption[];
  onStarted: (test: AdminAbTestFragment) => void;
  /** The API named the test running now (CONFLICT). */
  onAlreadyRunning: (id: string) => void;
}) {
  const [form, setForm] = useState<AbStartForm>({ modelA: '', modelB: '', sharePercent: '50' });
  const [errors, setErrors] = useState<Partial<Record<keyof AbStartForm, string>>>({});
  const [start, { loading, error }] = useMutation(START_AB_TEST);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = toStartAbTestInput(form);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    try {
      const result = await start({ variables: { input: checked.input } });
      if (result.data) onStarted(result.data.startAbTest);
    } catch (caught) {
      const running = abTestIdOf(apiError(caught).extensions);
      if (running) onAlreadyRunning(running);
    }
  };

  const select = (key: 'modelA' | 'modelB', label: string) => (
    <Field label={label} error={errors[key]}>
      {(p) => (
        <select
          {...p}
          value={form[key]}
          onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
        >
          <option value="">Choose a model</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {optionLabel(m)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form
      aria-label="Start an A/B test"
      noValidate
      onSubmit={(e) => void submit(e)}
      className="space-y-3"
    >
      <div className="grid gap-4 sm:grid-cols-3">
        {select('modelA', 'Arm A model')}
        {select('modelB', 'Arm B model')}
        <Field
          label="Leads in arm A (%)"
          hint="Strictly between 0 and 100."
          error={errors.sharePercent}
        >
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={form.sharePercent}
              onChange={(e) => setForm((f) => ({ ...f, sharePercent: e.target.value }))}
            />
          )}
        </Field>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {apiError(error).message}
        </p>
      )}
      <button type="submit" className={buttonPrimary} disabled={loading}>
        {loading ? 'Starting…' : 'Start A/B test'}
      </button>
    </form>
  );
}
