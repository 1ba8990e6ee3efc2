import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { parseView, viewToParams, type LeadsView } from './urlState';

export type UpdateView = (
  next: (view: LeadsView) => LeadsView,
  options?: { replace?: boolean },
) => void;

/** The view from the URL, and a way to change it (a new history entry unless `replace`). */
export function useLeadsView(): [LeadsView, UpdateView] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseView(params), [params]);
  const update = useCallback<UpdateView>(
    (next, options) => {
      const nextParams = viewToParams(next(view));
      // The same view again (e.g. a search that only gained a space) adds no history entry.
      if (nextParams.toString() === viewToParams(view).toString()) return;
      setParams(nextParams, { replace: options?.replace });
    },
    [view, setParams],
  );
  return [view, update];
}
