/** Shared class names of the leads page: one visible focus ring for every control. */
export const FOCUS_RING =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

export const BUTTON = `inline-flex items-center gap-1.5 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-500 disabled:hover:bg-white ${FOCUS_RING}`;

export const FIELD = `h-9 rounded-md border border-slate-400 bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 ${FOCUS_RING} aria-invalid:border-red-700`;

export const LABEL = 'block text-sm font-medium text-slate-700';

/** Numbers line up: right-aligned, tabular figures. */
export const NUMERIC = 'text-right tabular-nums';
