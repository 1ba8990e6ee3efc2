/**
 * The table's view (sort, filters, page) as it lives in the URL query string, so a reload, a
 * shared link and the back button keep it. Pure: parse, serialize, and the transitions the page
 * makes (a filter change goes back to page 1).
 */
import type { LeadFilterInput, LeadSortField, SortOrder } from '../../gql/graphql';

export type { LeadSortField, SortOrder };

export const LEAD_STATUSES = ['NEW', 'WORKING', 'QUALIFIED', 'CONVERTED', 'LOST'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export interface LeadsFilters {
  minScore: number | null;
  ownerId: string | null;
  status: LeadStatus | null;
  search: string;
}

export interface LeadsView extends LeadsFilters {
  sort: LeadSortField;
  order: SortOrder;
  page: number;
  size: PageSize;
}

export const NO_FILTERS: LeadsFilters = { minScore: null, ownerId: null, status: null, search: '' };

export const DEFAULT_VIEW: LeadsView = {
  ...NO_FILTERS,
  sort: 'SCORE',
  order: 'DESC',
  page: 1,
  size: 25,
};

const SORT_PARAM: Record<LeadSortField, string> = { SCORE: 'score', LAST_ACTIVITY: 'activity' };

/** "42", "42.5" → a score; anything else (or out of 0–100) → an error to show. */
export function parseMinScore(text: string): { value: number | null; error: string | null } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null, error: null };
  const value = Number(trimmed);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(trimmed) || !Number.isFinite(value)) {
    return { value: null, error: 'Enter a number from 0 to 100.' };
  }
  if (value < 0 || value > 100) {
    return { value: null, error: 'The minimum score must be between 0 and 100.' };
  }
  return { value, error: null };
}

function positiveInt(text: string | null): number | null {
  if (!text || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= 1 && Number.isSafeInteger(value) ? value : null;
}

/** Whatever the URL holds, a valid view: unknown or invalid values fall back to the defaults. */
export function parseView(params: URLSearchParams): LeadsView {
  const sortParam = params.get('sort');
  const sort = sortParam === SORT_PARAM.LAST_ACTIVITY ? 'LAST_ACTIVITY' : 'SCORE';
  const order = params.get('order') === 'asc' ? 'ASC' : 'DESC';
  const size = PAGE_SIZES.find((s) => String(s) === params.get('size')) ?? DEFAULT_VIEW.size;
  const status = LEAD_STATUSES.find((s) => s === params.get('status')) ?? null;
  return {
    sort,
    order,
    page: positiveInt(params.get('page')) ?? 1,
    size,
    minScore: parseMinScore(params.get('minScore') ?? '').value,
    ownerId: params.get('owner') || null,
    status,
    search: (params.get('q') ?? '').trim(),
  };
}

/** The view as query parameters; defaults are left out, so the plain page has a plain URL. */
export function viewToParams(view: LeadsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.sort !== DEFAULT_VIEW.sort) params.set('sort', SORT_PARAM[view.sort]);
  if (view.order !== DEFAULT_VIEW.order) params.set('order', view.order.toLowerCase());
  if (view.minScore !== null) params.set('minScore', String(view.minScore));
  if (view.ownerId) params.set('owner', view.ownerId);
  if (view.status) params.set('status', view.status);
  if (view.search) params.set('q', view.search);
  if (view.size !== DEFAULT_VIEW.size) params.set('size', String(view.size));
  if (view.page !== 1) params.set('page', String(view.page));
  return params;
}

/** Any filter change starts again at page 1. */
export function withFilters(view: LeadsView, patch: Partial<LeadsFilters>): LeadsView {
  return { ...view, ...patch, page: 1 };
}

export function withoutFilters(view: LeadsView): LeadsView {
  return withFilters(view, NO_FILTERS);
}

/** The active column toggles its direction; another column starts descending. */
export function withSort(view: LeadsView, sort: LeadSortField): LeadsView {
  const order: SortOrder = view.sort === sort && view.order === 'DESC' ? 'ASC' : 'DESC';
  return { ...view, sort, order, page: 1 };
}

export function withPage(view: LeadsView, page: number): LeadsView {
  return { ...view, page: Math.max(1, Math.floor(page)) };
}

export function withSize(view: LeadsView, size: PageSize): LeadsView {
  return { ...view, size, page: 1 };
}

export function hasFilters(view: LeadsFilters, { canFilterOwner }: { canFilterOwner: boolean }) {
  return (
    view.minScore !== null ||
    (canFilterOwner && view.ownerId !== null) ||
    view.status !== null ||
    view.search !== ''
  );
}

/**
 * The `leads` variables. Reps get their own leads whatever they ask, so an owner in the URL is
 * not sent for them; unset filters are left out (no `filter` at all without any).
 */
export function leadsVariables(view: LeadsView, { canFilterOwner }: { canFilterOwner: boolean }) {
  const filter: LeadFilterInput = {};
  if (view.minScore !== null) filter.minScore = view.minScore;
  if (canFilterOwner && view.ownerId) filter.ownerId = view.ownerId;
  if (view.status) filter.status = view.status;
  if (view.search) filter.search = view.search;
  return {
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
    sort: view.sort,
    order: view.order,
    page: view.page,
    limit: view.size,
  };
}

/** The subscription's arguments: the filters it understands (status and search it does not). */
export function subscriptionVariables(
  view: LeadsView,
  { canFilterOwner }: { canFilterOwner: boolean },
): { minScore?: number; ownerId?: string } {
  return {
    ...(view.minScore !== null ? { minScore: view.minScore } : {}),
    ...(canFilterOwner && view.ownerId ? { ownerId: view.ownerId } : {}),
  };
}
