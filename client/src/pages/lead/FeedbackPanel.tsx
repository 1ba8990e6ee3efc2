import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';

import type { FeedbackRating } from '../../gql/graphql';
import { errorMessage } from '../../ui/ErrorState';
import { RelativeTime } from '../../ui/RelativeTime';
import { MY_FEEDBACK, SUBMIT_FEEDBACK } from './operations';
import { card, input, sectionHeading } from './styles';

export const RATINGS: { value: FeedbackRating; label: string }[] = [
  { value: 'TOO_HIGH', label: 'Too high' },
  { value: 'ABOUT_RIGHT', label: 'About right' },
  { value: 'TOO_LOW', label: 'Too low' },
];

const MAX_COMMENT = 2000;

export function ratingLabel(rating: FeedbackRating): string {
  return RATINGS.find((r) => r.value === rating)?.label ?? rating;
}

interface Rating {
  rating: FeedbackRating;
  comment?: string | null;
  submittedAt: string;
}

/**
 * The user's rating of this lead's score: three buttons (the current one pressed), an optional
 * comment, and a confirmation when a rating is saved.
 */
export function FeedbackPanel({ leadId, userId }: { leadId: string; userId: string }) {
  const ids = useId();
  const { data, error: loadError } = useQuery(MY_FEEDBACK, { variables: { leadId, userId } });
  const [submit, { loading, error }] = useMutation(SUBMIT_FEEDBACK);
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<Rating | null>(null);
  const [confirmation, setConfirmation] = useState('');

  const current: Rating | null = saved ?? data?.feedback.items[0] ?? null;

  const rate = async (rating: FeedbackRating) => {
    setConfirmation('');
    const text = comment.trim();
    const result = await submit({
      variables: { input: { leadId, rating, ...(text ? { comment: text } : {}) } },
    }).catch(() => null);
    const feedback = result?.data?.submitFeedback;
    if (!feedback) return;
    setSaved(feedback);
    setComment('');
    setConfirmation(`Thanks: your rating “${ratingLabel(feedback.rating)}” is saved.`);
  };

  return (
    <section aria-labelledby={`${ids}-heading`} className={card}>
      <h2 id={`${ids}-heading`} className={sectionHeading}>
        Is this score right?
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Your rating helps tune the scoring. Rating again replaces your earlier rating.
      </p>
      <div className="mt-3">
        <label htmlFor={`${ids}-comment`} className="block text-sm font-medium text-slate-800">
          Comment (optional)
        </label>
        <textarea
          id={`${ids}-comment`}
          className={`${input} mt-1`}
          rows={2}
          maxLength={MAX_COMMENT}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      <div role="group" aria-label="Rate this score" className="mt-3 inline-flex flex-wrap gap-2">
        {RATINGS.map(({ value, label }) => {
          const pressed = current?.rating === value;
          return (
            <button
              key={value}
              type="button"
              aria-pressed={pressed}
              disabled={loading}
              onClick={() => void rate(value)}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ring-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed ${
                pressed
                  ? 'bg-indigo-700 text-white ring-indigo-700'
                  : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-100'
              }`}
            >
              {pressed && <span aria-hidden="true">✓ </span>}
              {label}
            </button>
          );
        })}
      </div>
      {current && (
        <p className="mt-2 text-sm text-slate-700">
          Your current rating: <strong>{ratingLabel(current.rating)}</strong> (
          <RelativeTime at={current.submittedAt} />){current.comment && <> — “{current.comment}”</>}
        </p>
      )}
      <p role="status" className="mt-2 text-sm font-medium text-emerald-800">
        {confirmation}
      </p>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          Your rating was not saved: {errorMessage(error)}
        </p>
      )}
      {loadError && !current && (
        <p className="mt-2 text-sm text-slate-600">
          Your current rating could not be loaded ({errorMessage(loadError)}).
        </p>
      )}
    </section>
  );
}
