import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { DegradedReason, LeadScoreQueries } from '@/scoring/lead-score-queries.service';
import { ScoreOverrideService } from '@/scoring/override/score-override.service';
import type { OverrideInput } from '@/scoring/override/score-override.util';
import type { ScoreRow } from '@/scoring/ranking/score-doc.codec';
import type { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { ScoreHistoryEntryModel } from '@/scoring/models/scoring-events.model';

import { LeadSortField, LeadsArgs, SortOrder } from './dto/leads.args';
import { LeadModel, LeadPageModel } from './models/lead.model';
import { LeadsException } from './leads.exception';
import { LeadsService } from './leads.service';
import { toLeadModel, toLeadRowModel } from './lead-view.mapper';
import type { Lead } from './schemas/lead.schema';

/** The ranked list, one lead and its history, as GraphQL and REST serve them. */
@Injectable()
export class LeadRankingService {
  constructor(
    private readonly leads: LeadsService,
    private readonly scores: LeadScoreQueries,
    private readonly overrides: ScoreOverrideService,
  ) {}

  /** The lead view of a stored score (the one place it is built: lists, one lead, exports). */
  view(score: LeadScore, raw?: Lead): LeadModel {
    return toLeadModel(score, {
      stale: this.scores.isStale(score),
      raw,
      trend: this.scores.trendSettings,
    });
  }

  /** Managers and admins (the resolver's and controller's roles); `leadId` is the caller's own. */
  async overrideScore(caller: AuthUser, leadId: string, input: OverrideInput): Promise<LeadModel> {
    return this.view(await this.overrides.set(caller, leadId, input));
  }

  async clearOverride(caller: AuthUser, leadId: string): Promise<LeadModel> {
    return this.view(await this.overrides.clear(caller, leadId));
  }

  /** The lead view of a row of the ranked list: without override details, trend, breakdown. */
  rowView(row: ScoreRow, raw?: Lead): LeadModel {
    return toLeadRowModel(row, { stale: this.scores.isStale(row), raw });
  }

  /**
   * One page; `degraded` says why it holds cached scores where fresh ones were asked for.
   * `rowsOnly`: the caller reads none of LEAD_DETAIL_FIELDS (GraphQL: the selection says so), so a
   * page the ranking index serves needs no database read.
   */
  async page(
    caller: AuthUser,
    args: LeadsArgs,
    { rowsOnly = false }: { rowsOnly?: boolean } = {},
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
      detail: !rowsOnly,
    });
    const raw = args.includeRaw
      ? await this.leads.rawByRefs(
          caller.tenantId,
          items.map((item) => item.leadRef),
        )
      : undefined;
    const page = {
      items: items.map((item) => {
        const rawLead = raw?.get(item.leadRef.toHexString());
        // Whole scores unless rows were asked for (with `refresh` they are whole anyway).
        return rowsOnly ? this.rowView(item, rawLead) : this.view(item as LeadScore, rawLead);
      }),
      page: args.page,
      limit: args.limit,
      total,
      totalPages: Math.ceil(total / args.limit),
    };
    return { page, degraded };
  }

  async byRefs(tenantId: string, refs: Types.ObjectId[]): Promise<LeadModel[]> {
    const scores = await this.scores.findCurrentByIds(tenantId, refs);
    const byRef = new Map(scores.map((score) => [score.leadRef.toHexString(), score]));
    return refs.flatMap((ref) => {
      const score = byRef.get(ref.toHexString());
      return score ? [this.view(score)] : [];
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
    return { lead: this.view(score, raw), degraded };
  }

  async history(caller: AuthUser, id: string, limit: number): Promise<ScoreHistoryEntryModel[]> {
    const { lead } = await this.one(caller, id, { refresh: false, includeRaw: false });
    const score = await this.scores.findOneByLeadRef(caller.tenantId, lead.id);
    const entries = await this.scores.historyOf(caller.tenantId, score!, limit);
    return entries.map((entry) => ({
      score: entry.score,
      previousScore: entry.previousScore,
      modelScore: entry.modelScore ?? entry.score,
      reason: entry.reason,
      configVersion: entry.configVersion,
      modelVersion: entry.modelVersion,
      at: entry.at,
    }));
  }
}
