/** Class names shared by the lead page's parts: one look for buttons, cards and headings. */

export const card = 'rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200';

export const sectionHeading = 'text-lg font-semibold text-slate-900';

const focus =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

export const primaryButton = `rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:bg-slate-400 ${focus}`;

export const secondaryButton = `rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-500 ${focus}`;

export const dangerButton = `rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-400 ${focus}`;

export const textLink = `font-medium text-indigo-700 underline hover:text-indigo-900 ${focus}`;

export const input = `block w-full rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm text-slate-900 ${focus}`;

export const tableCell = 'px-3 py-1.5 text-left';

export const tableHead =
  'px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-700';
