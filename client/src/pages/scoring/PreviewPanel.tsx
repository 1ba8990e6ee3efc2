import { useLazyQuery } from '@apollo/client/react';
import { useState } from 'react';

import { errorMessage } from '../../ui/ErrorState';
import { Spinner } from '../../ui/Spinner';
import type { ScoringConfigInput } from './formValues';
import { PreviewFigures } from './PreviewFigures';
import { SCORING_CONFIG_PREVIEW } from './operations';
import { card, secondaryButton, sectionHeading } from './styles';

export const PREVIEW_REGION_NAME = 'Score distribution preview';

/**
 * How the tenant's scores would spread under the values in the form, next to how they spread now.
 * Asked for with a button, only for valid values; says when the form changed since.
 */
export function PreviewPanel({ input }: { input: ScoringConfigInput | null }) {
  const [runPreview, { data, loading, error }] = useLazyQuery(SCORING_CONFIG_PREVIEW, {
    fetchPolicy: 'network-only',
  });
  const [previewedKey, setPreviewedKey] = useState<string | null>(null);
  const inputKey = input ? JSON.stringify(input) : null;
  const stale = previewedKey !== null && previewedKey !== inputKey;
  const preview = data?.scoringConfigPreview;

  const run = () => {
    if (!input) return;
    setPreviewedKey(inputKey);
    void runPreview({ variables: { input } }).catch(() => undefined);
  };

  return (
    <section aria-labelledby="preview-heading" className={card}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="preview-heading" className={sectionHeading}>
          {PREVIEW_REGION_NAME}
        </h2>
        <button
          type="button"
          className={secondaryButton}
          onClick={run}
          disabled={!input || loading}
          aria-describedby={!input ? 'preview-invalid' : undefined}
        >
          Preview distribution
        </button>
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Leads are scored with the weighted sum under the saved and the proposed values; nothing is
        saved. If a trained model scores your leads, only the thresholds change its tiers.
      </p>
      {!input && (
        <p id="preview-invalid" className="mt-2 text-sm text-slate-700">
          Fix the values marked in the form to preview them.
        </p>
      )}
      {loading ? (
        <Spinner label="Scoring leads under the proposed values" />
      ) : error ? (
        <p role="alert" className="mt-3 text-sm text-red-800">
          The preview could not be computed: {errorMessage(error)}
        </p>
      ) : preview ? (
        <>
          {stale && (
            <p className="mt-3 rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-300">
              The values have changed since this preview. Preview again to update it.
            </p>
          )}
          <PreviewFigures preview={preview} />
        </>
      ) : (
        input && (
          <p className="mt-2 text-sm text-slate-700">
            See how your leads’ scores and tiers would change before saving.
          </p>
        )
      )}
    </section>
  );
}
