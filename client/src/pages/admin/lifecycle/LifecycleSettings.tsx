import { useQuery } from '@apollo/client/react';
import { useState } from 'react';

import { ErrorState } from '../../../ui/ErrorState';
import { Spinner } from '../../../ui/Spinner';
import { Section } from '../components/Section';
import { buttonSecondary } from '../components/styles';
import { LifecycleSettingsForm } from './LifecycleSettingsForm';
import { LifecycleSettingsView } from './LifecycleSettingsView';
import { MODEL_LIFECYCLE } from './operations';

/** The settings, read, or edited after "Edit settings". */
export function LifecycleSettings() {
  const { data, error, refetch } = useQuery(MODEL_LIFECYCLE);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const settings = data?.modelLifecycle;
  return (
    <Section
      title="Settings"
      actions={
        settings &&
        !editing && (
          <button
            type="button"
            className={buttonSecondary}
            onClick={() => {
              setNotice(null);
              setEditing(true);
            }}
          >
            Edit settings
          </button>
        )
      }
    >
      {notice && (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {notice}
        </p>
      )}
      {!settings ? (
        error ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : (
          <Spinner label="Loading settings" />
        )
      ) : editing ? (
        <LifecycleSettingsForm
          current={settings}
          onCancel={() => setEditing(false)}
          onSaved={(message) => {
            setNotice(message);
            setEditing(false);
          }}
        />
      ) : (
        <LifecycleSettingsView settings={settings} />
      )}
    </Section>
  );
}
