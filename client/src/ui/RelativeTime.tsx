import { formatExact, formatRelative } from './format';

/** A relative time ("5 minutes ago") with the exact time on hover and for assistive technology. */
export function RelativeTime({
  at,
  empty = '—',
}: {
  at: string | null | undefined;
  empty?: string;
}) {
  if (!at) return <span className="text-slate-600">{empty}</span>;
  const exact = formatExact(at);
  return (
    <time dateTime={at} title={exact}>
      {formatRelative(at)}
    </time>
  );
}
