/** Class names shared by the admin pages: one look for buttons, inputs, cards and tables. */

const focus =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

export const buttonPrimary = `rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-60 ${focus}`;

export const buttonSecondary = `rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60 ${focus}`;

export const buttonDanger = `rounded-md bg-red-700 px-3 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-60 ${focus}`;

export const linkClass = `font-medium text-indigo-700 underline-offset-2 hover:underline ${focus}`;

export const inputClass = `mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 aria-[invalid=true]:border-red-700 ${focus}`;

export const labelClass = 'block text-sm font-medium text-slate-800';

export const hintClass = 'mt-1 text-xs text-slate-600';

export const errorTextClass = 'mt-1 text-sm text-red-700';

export const cardClass = 'rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200';

export const tableClass = 'min-w-full divide-y divide-slate-200 text-left text-sm';

export const thClass = 'px-3 py-2 text-xs font-semibold tracking-wide text-slate-700 uppercase';

export const tdClass = 'px-3 py-2 align-top text-slate-800';

export const numClass =
  'whitespace-nowrap px-3 py-2 text-right align-top tabular-nums text-slate-800';

/** A <progress> drawn the same in every browser. */
export const progressClass =
  'h-3 w-full overflow-hidden rounded bg-slate-200 [&::-moz-progress-bar]:bg-indigo-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-600';
