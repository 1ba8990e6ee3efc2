import { buttonSecondary } from './styles';

/** Previous / next over a paged list, with where the user is. */
export function Pager({
  page,
  totalPages,
  total,
  label,
  onPage,
}: {
  page: number;
  totalPages: number;
  total: number;
  label: string;
  onPage: (page: number) => void;
}) {
  if (totalPages <= 1) return null;
  return (
    <nav aria-label={`${label} pages`} className="mt-3 flex items-center gap-3 text-sm">
      <button
        type="button"
        className={buttonSecondary}
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        Previous
      </button>
      <span className="text-slate-700">
        Page {page} of {totalPages} ({total} in all)
      </span>
      <button
        type="button"
        className={buttonSecondary}
        disabled={page >= totalPages}
        onClick={() => onPage(page + 1)}
      >
        Next
      </button>
    </nav>
  );
}
