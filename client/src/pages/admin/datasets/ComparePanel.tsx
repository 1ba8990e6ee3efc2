import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';

import { ErrorState } from '../../../ui/ErrorState';
import { Spinner } from '../../../ui/Spinner';
import { Field } from '../components/Field';
import { Section } from '../components/Section';
import { buttonPrimary, errorTextClass } from '../components/styles';
import { ComparisonView } from './ComparisonView';
import { COMPARE_DATASET_VERSIONS } from './operations';

interface VersionOption {
  id: string;
  name: string;
}

/** Pick a baseline and another version, then see what changed between them. */
export function ComparePanel({ versions }: { versions: readonly VersionOption[] }) {
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [pair, setPair] = useState<{ a: string; b: string } | null>(null);
  const { data, loading, error, refetch } = useQuery(COMPARE_DATASET_VERSIONS, {
    variables: pair ?? { a: '', b: '' },
    skip: !pair,
  });
  const nameOf = (id: string) => versions.find((v) => v.id === id)?.name ?? id;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!a || !b) return setProblem('Choose two versions.');
    if (a === b) return setProblem('Choose two different versions.');
    setProblem(null);
    setPair({ a, b });
  };

  return (
    <Section title="Compare two versions">
      <form
        aria-label="Compare two versions"
        noValidate
        onSubmit={submit}
        className="grid items-end gap-4 sm:grid-cols-3"
      >
        <Field label="Baseline (a)">
          {(p) => (
            <select {...p} value={a} onChange={(e) => setA(e.target.value)}>
              <option value="">Choose a version</option>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Compared with (b)">
          {(p) => (
            <select {...p} value={b} onChange={(e) => setB(e.target.value)}>
              <option value="">Choose a version</option>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div>
          <button type="submit" className={buttonPrimary}>
            Compare
          </button>
        </div>
      </form>
      {problem && (
        <p role="alert" className={errorTextClass}>
          {problem}
        </p>
      )}
      <div className="mt-4">
        {pair && error && !data ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : pair && loading && !data ? (
          <Spinner label="Comparing versions" />
        ) : pair && data ? (
          <ComparisonView
            comparison={data.compareDatasetVersions}
            nameA={nameOf(data.compareDatasetVersions.a)}
            nameB={nameOf(data.compareDatasetVersions.b)}
          />
        ) : null}
      </div>
    </Section>
  );
}
