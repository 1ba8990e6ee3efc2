import { useId } from 'react';

import { formatInteger } from '../../ui/format';
import { BUTTON, FIELD, LABEL } from './styles';
import { PAGE_SIZES, type PageSize } from './urlState';

interface Props {
  page: number;
  totalPages: number;
  total: number;
  size: PageSize;
  onPage: (page: number) => void;
  onSize: (size: PageSize) => void;
}

/** "Page X of Y", previous and next (disabled at the ends), the total and the page size. */
export function Pagination({ page, totalPages, total, size, onPage, onSize }: Props) {
  const sizeId = useId();
  const pages = Math.max(totalPages, 1);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
      <p className="text-slate-700 tabular-nums">
        {formatInteger(total)} {total === 1 ? 'lead' : 'leads'}
      </p>
      <div className="flex items-center gap-2">
        <label htmlFor={sizeId} className={LABEL}>
          Rows per page
        </label>
        <select
          id={sizeId}
          value={size}
          onChange={(event) =>
            onSize(PAGE_SIZES.find((s) => String(s) === event.target.value) ?? size)
          }
          className={FIELD}
        >
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="ml-auto flex items-center gap-2">
        <button
          type="button"
          onClick={() => onPage(page - 1)}
          disabled={page <= 1}
          className={BUTTON}
        >
          Previous
        </button>
        <p className="text-slate-700 tabular-nums" aria-live="polite">
          Page {formatInteger(page)} of {formatInteger(pages)}
        </p>
        <button
          type="button"
          onClick={() => onPage(page + 1)}
          disabled={page >= pages}
          className={BUTTON}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
