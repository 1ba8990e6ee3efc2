import type { RankedLeadQuery } from './lead-score.types';

/**
 * The MongoDB filter (without the tenant, which the repositories add) of the ranked list's
 * filters: a minimum score, an owner, a status, a search in the lead's name, email and id.
 */
export function rankedScoreFilter(
  query: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status' | 'search'>,
): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.minScore !== undefined) filter.score = { $gte: query.minScore };
  if (query.ownerId !== undefined) filter.ownerId = query.ownerId;
  if (query.status !== undefined) filter.status = query.status;
  if (query.search) filter.searchText = { $regex: escapeRegex(query.search.toLowerCase()) };
  return filter;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
