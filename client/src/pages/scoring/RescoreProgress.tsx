import type { ApolloClient } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';

import { errorMessage } from '../../ui/ErrorState';
import { findConfigJob, type JobProgressState } from './jobState';
import { JobProgress, POLL_MS } from './JobProgress';
import { RECENT_SCORING_JOBS } from './operations';

const ATTEMPTS = 3;

type Found =
  | { state: 'looking' }
  | { state: 'found'; id: string; initial: JobProgressState }
  | { state: 'missing'; reason: string };

const LOOKING: Found = { state: 'looking' };

/** What a search for the job depends on: any change is a new search. */
interface Search {
  apollo: ApolloClient;
  savedAt: string | null;
  version: number;
  pollMs: number;
}

const sameSearch = (a: Search, b: Search) =>
  a.apollo === b.apollo &&
  a.savedAt === b.savedAt &&
  a.version === b.version &&
  a.pollMs === b.pollMs;

/**
 * The rescoring a save started: found among the newest jobs (a few tries, as the job is queued
 * right after the version is saved), then followed to its end.
 */
export function RescoreProgress({
  savedAt,
  version,
  pollMs = POLL_MS,
}: {
  savedAt: string | null;
  version: number;
  pollMs?: number;
}) {
  const apollo = useApolloClient();
  // What a search found, with the search it answers: a new search (another save) is looking
  // until it has its own answer.
  const [answer, setAnswer] = useState<{ search: Search; found: Found } | null>(null);
  const found =
    answer && sameSearch(answer.search, { apollo, savedAt, version, pollMs })
      ? answer.found
      : LOOKING;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const search = { apollo, savedAt, version, pollMs };
    const setFound = (result: Found) => setAnswer({ search, found: result });
    const attempt = (n: number) => {
      apollo
        .query({ query: RECENT_SCORING_JOBS, variables: { limit: 5 }, fetchPolicy: 'network-only' })
        .then(({ data }) => {
          if (cancelled) return;
          const job = data ? findConfigJob(data.scoringJobs, savedAt) : null;
          if (job) setFound({ state: 'found', id: job.id, initial: job });
          else if (n + 1 < ATTEMPTS) timer = setTimeout(() => attempt(n + 1), pollMs / 2);
          else setFound({ state: 'missing', reason: 'The rescoring job was not found.' });
        })
        .catch((error: unknown) => {
          if (!cancelled) setFound({ state: 'missing', reason: errorMessage(error) });
        });
    };
    attempt(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [apollo, savedAt, version, pollMs]);

  return (
    <div className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
      <h3 className="text-sm font-semibold text-slate-900">
        Rescoring every lead to version {version}
      </h3>
      <div className="mt-2">
        {found.state === 'looking' && (
          <p className="text-sm text-slate-700">Finding the rescoring job…</p>
        )}
        {found.state === 'missing' && (
          <p className="text-sm text-slate-700">
            Its progress cannot be shown ({found.reason}) Leads are rescored in the background.
          </p>
        )}
        {found.state === 'found' && (
          <JobProgress key={found.id} jobId={found.id} initial={found.initial} pollMs={pollMs} />
        )}
      </div>
    </div>
  );
}
