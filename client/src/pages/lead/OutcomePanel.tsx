import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';

import type { LeadOutcome } from '../../gql/graphql';
import { errorMessage } from '../../ui/ErrorState';
import { formatExact } from '../../ui/format';
import { newIdempotencyKey } from './idempotencyKey';
import { CURRENT_OUTCOME, RECORD_OUTCOME, REOPEN_LEAD } from './operations';
import { card, input, primaryButton, secondaryButton, sectionHeading } from './styles';

const MAX_REASON = 500;
const CLOSED_STATUSES = new Set(['CONVERTED', 'LOST']);

const OUTCOME_LABELS: Record<LeadOutcome, string> = { CONVERTED: 'converted', LOST: 'lost' };

/** What the user is about to do, waiting for a confirmation; the key makes a retry safe. */
type Pending = { kind: 'record'; outcome: LeadOutcome; key: string } | { kind: 'reopen' };

/**
 * Closing the lead as converted or lost (confirmed first), its current outcome, and reopening it.
 */
export function OutcomePanel({
  leadId,
  status,
  onChanged,
}: {
  leadId: string;
  status: string;
  onChanged: () => void;
}) {
  const ids = useId();
  const { data, refetch } = useQuery(CURRENT_OUTCOME, { variables: { leadId } });
  const [record, recording] = useMutation(RECORD_OUTCOME);
  const [reopen, reopening] = useMutation(REOPEN_LEAD);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState('');
  const questionRef = useRef<HTMLParagraphElement>(null);

  const current = data?.outcomes.items.find((o) => o.current) ?? null;
  const closed = current !== null || CLOSED_STATUSES.has(status);
  const busy = recording.loading || reopening.loading;
  const error = recording.error ?? reopening.error;

  useEffect(() => {
    if (pending) questionRef.current?.focus();
  }, [pending]);

  const ask = (next: Pending) => {
    recording.reset();
    reopening.reset();
    setDone('');
    setPending(next);
  };

  const confirm = async () => {
    if (!pending) return;
    if (pending.kind === 'record') {
      const text = reason.trim();
      const result = await record({
        variables: {
          input: {
            leadId,
            outcome: pending.outcome,
            idempotencyKey: pending.key,
            ...(text ? { reason: text } : {}),
          },
        },
      }).catch(() => null);
      if (!result?.data) return;
      setReason('');
      setDone(`Recorded: the lead is ${OUTCOME_LABELS[pending.outcome]}.`);
    } else {
      const result = await reopen({ variables: { leadId } }).catch(() => null);
      if (!result?.data) return;
      setDone('The lead is reopened.');
    }
    setPending(null);
    void refetch();
    onChanged();
  };

  const question =
    pending?.kind === 'record'
      ? `Record this lead as ${OUTCOME_LABELS[pending.outcome]}?`
      : 'Reopen this lead? Its outcome is kept in its history.';

  return (
    <section aria-labelledby={`${ids}-heading`} className={card}>
      <h2 id={`${ids}-heading`} className={sectionHeading}>
        Outcome
      </h2>
      {closed ? (
        <div className="mt-2 text-sm text-slate-800">
          {current ? (
            <p>
              <strong>{current.outcome === 'CONVERTED' ? 'Converted' : 'Lost'}</strong> on{' '}
              <time dateTime={current.at}>{formatExact(current.at)}</time>
              {current.reason && <> — “{current.reason}”</>}
            </p>
          ) : (
            <p>This lead is closed ({status.toLowerCase()}).</p>
          )}
          {!pending && (
            <button
              type="button"
              className={`${secondaryButton} mt-3`}
              onClick={() => ask({ kind: 'reopen' })}
            >
              Reopen lead
            </button>
          )}
        </div>
      ) : (
        <div className="mt-2">
          <p className="text-sm text-slate-600">No outcome yet: the lead is open.</p>
          <label
            htmlFor={`${ids}-reason`}
            className="mt-3 block text-sm font-medium text-slate-800"
          >
            Reason (optional)
          </label>
          <input
            id={`${ids}-reason`}
            className={`${input} mt-1`}
            maxLength={MAX_REASON}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          {!pending && (
            <div className="mt-3 flex flex-wrap gap-2">
              <button
                type="button"
                className={primaryButton}
                onClick={() =>
                  ask({ kind: 'record', outcome: 'CONVERTED', key: newIdempotencyKey() })
                }
              >
                Mark as converted
              </button>
              <button
                type="button"
                className={secondaryButton}
                onClick={() => ask({ kind: 'record', outcome: 'LOST', key: newIdempotencyKey() })}
              >
                Mark as lost
              </button>
            </div>
          )}
        </div>
      )}
      {pending && (
        <div
          role="group"
          aria-labelledby={`${ids}-question`}
          className="mt-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-300"
        >
          <p
            id={`${ids}-question`}
            ref={questionRef}
            tabIndex={-1}
            className="text-sm font-medium text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {question}
          </p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              className={primaryButton}
              disabled={busy}
              onClick={() => void confirm()}
            >
              {busy ? 'Saving…' : pending.kind === 'reopen' ? 'Yes, reopen' : 'Yes, record it'}
            </button>
            <button
              type="button"
              className={secondaryButton}
              disabled={busy}
              onClick={() => setPending(null)}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      <p role="status" className="mt-2 text-sm font-medium text-emerald-800">
        {done}
      </p>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {errorMessage(error)}
        </p>
      )}
    </section>
  );
}
