import { useMutation } from '@apollo/client/react';
import { useMemo, useState, type FormEvent } from 'react';

import type { ScoringPageConfigQuery } from '../../gql/graphql';
import {
  groupOf,
  sameValues,
  setValue,
  toFormValues,
  type ConfigErrors,
  type ConfigFormValues,
  type FieldKey,
} from './formValues';
import { ConfigForm } from './ConfigForm';
import { SCORING_CONFIG, UPDATE_SCORING_CONFIG } from './operations';
import { PreviewPanel } from './PreviewPanel';
import { RescoreProgress } from './RescoreProgress';
import { serverProblems } from './serverErrors';
import { card, primaryButton, secondaryButton, sectionHeading } from './styles';
import { validateConfig } from './validateConfig';
import { applyWeightPatch, type WeightPatch } from './weightSuggestion';
import { WeightSuggestionPanel } from './WeightSuggestionPanel';

type Config = ScoringPageConfigQuery['scoringConfig'];

/** Both sources of problems for a field: the browser's rules first, then the server's. */
function mergeErrors(client: ConfigErrors, server: ConfigErrors): ConfigErrors {
  const merged: ConfigErrors = { ...client };
  for (const [key, message] of Object.entries(server) as [FieldKey, string][]) {
    merged[key] = merged[key] && merged[key] !== message ? `${merged[key]} ${message}` : message;
  }
  return merged;
}

/**
 * The editor of a tenant's scoring configuration: the form, checked as it is typed, a preview of
 * the proposed values, and saving as a new version followed by the rescoring it starts.
 */
export function ConfigEditor({ config }: { config: Config }) {
  const base = useMemo(() => toFormValues(config), [config]);
  const [edited, setEdited] = useState<ConfigFormValues | null>(null);
  const [serverErrors, setServerErrors] = useState<ConfigErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ version: number; createdAt: string | null } | null>(null);

  const values = edited ?? base;
  const validation = useMemo(() => validateConfig(values), [values]);
  const errors = mergeErrors(validation.errors, serverErrors);
  const problemCount = Object.keys(validation.errors).length;
  const dirty = !sameValues(values, base);

  const [save, { loading: saving }] = useMutation(UPDATE_SCORING_CONFIG, {
    update(cache, { data }) {
      if (data)
        cache.writeQuery({
          query: SCORING_CONFIG,
          data: { scoringConfig: data.updateScoringConfig },
        });
    },
  });

  const change = (key: FieldKey, value: string) => {
    setEdited((prev) => setValue(prev ?? base, key, value));
    const group = groupOf(key);
    if (serverErrors[key] || (group && serverErrors[group])) {
      setServerErrors((prev) => {
        const next = { ...prev };
        delete next[key];
        if (group) delete next[group];
        return next;
      });
    }
  };

  /** The suggested weights (and half-life) in the form; saved, as any change, by the editor. */
  const applySuggestion = (patch: WeightPatch) => {
    setEdited((prev) => applyWeightPatch(prev ?? base, patch));
    setServerErrors((prev) => {
      const next = { ...prev };
      for (const key of Object.keys(next) as FieldKey[])
        if (key === 'weights' || key.startsWith('weights.') || key === 'halfLifeDays')
          delete next[key];
      return next;
    });
  };

  const reset = () => {
    setEdited(null);
    setServerErrors({});
    setGeneral(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!validation.valid || saving) return;
    setServerErrors({});
    setGeneral(null);
    setSaved(null);
    try {
      const result = await save({ variables: { input: validation.input } });
      const next = result.data?.updateScoringConfig;
      if (!next) return;
      setEdited(null);
      setSaved({ version: next.version, createdAt: next.createdAt ?? null });
    } catch (error) {
      const problems = serverProblems(error);
      setServerErrors(problems.fields);
      setGeneral(problems.general);
    }
  };

  return (
    <div className="grid items-start gap-6 xl:grid-cols-2">
      <form
        aria-labelledby="config-form-heading"
        className={`${card} space-y-4`}
        noValidate
        onSubmit={(e) => void submit(e)}
      >
        <h2 id="config-form-heading" className={sectionHeading}>
          Proposed values
        </h2>
        {general && (
          <div
            role="alert"
            className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200"
          >
            <p className="font-medium">Not saved.</p>
            <p>{general}</p>
          </div>
        )}
        <ConfigForm values={values} errors={errors} onChange={change} />
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            className={primaryButton}
            disabled={!validation.valid || saving}
            aria-describedby="config-save-note"
          >
            {saving ? 'Saving…' : 'Save as new version'}
          </button>
          <button
            type="button"
            className={secondaryButton}
            onClick={reset}
            disabled={!dirty && !general}
          >
            Reset
          </button>
          <p id="config-save-note" className="text-sm text-slate-700">
            {problemCount > 0
              ? `Fix ${problemCount === 1 ? 'the problem' : `the ${problemCount} problems`} marked above to save.`
              : dirty
                ? 'Unsaved changes. Saving creates a new version and rescores every lead.'
                : 'No changes yet.'}
          </p>
        </div>
        <p role="status" className="text-sm font-medium text-emerald-800">
          {saved ? `Saved as version ${saved.version}.` : ''}
        </p>
        {saved && <RescoreProgress savedAt={saved.createdAt} version={saved.version} />}
      </form>
      <div className="space-y-6">
        <PreviewPanel input={validation.input} />
        <WeightSuggestionPanel onUse={applySuggestion} />
      </div>
    </div>
  );
}
