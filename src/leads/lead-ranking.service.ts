import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { DegradedReason, LeadScoreQueries } from '@/scoring/lead-score-queries.service';
import { ScoreHistoryEntryModel } from '@/scoring/models/scoring-events.model';

import { LeadSortField, LeadsArgs, SortOrder } from './dto/leads.args';
import { LeadModel, LeadPageModel } from './models/lead.model';
import { LeadsException } from './leads.exception';
import { LeadsService } from './leads.service';
import { toLeadModel } from './lead-view.mapper';

/** The ranked list, one lead and its history, as GraphQL and REST serve them. */
@Injectable()
export class LeadRankingService {
  constructor(
    private readonly leads: LeadsService,
    private readonly scores: LeadScoreQueries,
  ) {}

  /** One page; `degraded` says why it holds cached scores where fresh ones were asked for. */
  async page(
    caller: AuthUser,
    args: LeadsArgs,
  ): Promise<{ page: LeadPageModel; degraded?: DegradedReason }> {
    const { items, total, degraded } = await this.scores.findRanked(caller.tenantId, {
      minScore: args.filter?.minScore,
      ownerId: this.leads.ownerScope(caller, args.filter?.ownerId),
      status: args.filter?.status,
      search: args.filter?.search,
      sort: args.sort === LeadSortField.LAST_ACTIVITY ? 'LAST_ACTIVITY' : 'SCORE',
      order: args.order === SortOrder.ASC ? 'ASC' : 'DESC',
      page: args.page,
      limit: args.limit,
      refresh: args.refresh,
    });
    const raw = args.includeRaw
      ? await this.leads.rawByRefs(
          caller.tenantId,
          items.map((item) => item.leadRef),
        )
      : undefined;
    const page = {
      items: items.map((item) =>
        toLeadModel(item, {
          stale: this.scores.isStale(item),
          raw: raw?.get(item.leadRef.toHexString()),
        }),
      ),
      page: args.page,
      limit: args.limit,
      total,
      totalPages: Math.ceil(total / args.limit),
    };
    return { page, degraded };
  }

  async byRefs(tenantId: string, refs: Types.ObjectId[]): Promise<LeadModel[]> {
    const scores = await this.scores.findByIds(tenantId, refs);
    const byRef = new Map(scores.map((score) => [score.leadRef.toHexString(), score]));
    return refs.flatMap((ref) => {
      const score = byRef.get(ref.toHexString());
      return score ? [toLeadModel(score, { stale: this.scores.isStale(score) })] : [];
    });
  }

  async one(
    caller: AuthUser,
    id: string,
    { refresh, includeRaw }: { refresh: boolean; includeRaw: boolean },
  ): Promise<{ lead: LeadModel; degraded?: DegradedReason }> {
    const found = await this.scores.findOneByLeadRef(caller.tenantId, id);
    // Another tenant's lead, or another rep's: the same answer as a lead that does not exist
    // (and checked before any refresh writes).
    if (
      !found ||
      (this.leads.ownerScope(caller) !== undefined && found.ownerId !== caller.userId)
    ) {
      throw LeadsException.notFound();
    }
    const { doc: score, degraded } = refresh
      ? await this.scores.refreshed(caller.tenantId, found)
      : { doc: found, degraded: undefined };
    const raw = includeRaw
      ? (await this.leads.rawByRefs(caller.tenantId, [score.leadRef])).get(id)
      : undefined;
    return { lead: toLeadModel(score, { stale: this.scores.isStale(score), raw }), degraded };
  }

  async history(caller: AuthUser, id: string, limit: number): Promise<ScoreHistoryEntryModel[]> {
    const { lead } = await this.one(caller, id, { refresh: false, includeRaw: false });
    const score = await this.scores.findOneByLeadRef(caller.tenantId, lead.id);
    const entries = await this.scores.historyOf(caller.tenantId, score!, limit);
    return entries.map((entry) => ({
      score: entry.score,
      previousScore: entry.previousScore,
      reason: entry.reason,
      configVersion: entry.configVersion,
      modelVersion: entry.modelVersion,
      at: entry.at,
    }));
  }
}
