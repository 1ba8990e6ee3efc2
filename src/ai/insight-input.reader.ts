import { Injectable } from '@nestjs/common';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { LeadRankingService } from '@/leads/lead-ranking.service';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import type { LeadModel } from '@/leads/models/lead.model';

import { AiSettingsService, EffectiveAiSettings, settingsStamp } from './ai-settings.service';
import { insightCacheKey } from './insight/insight-cache-key';
import { PROMPT_VERSION } from './insight/insight-prompt';
import type { InsightInput } from './insight/insight.types';
import { OpenAIInsightClient } from './openai/openai-insight.client';

/** Attribute names that may carry contact details: never sent, whatever the lead holds. */
const PERSONAL = /e-?mail|phone|mobile|tel(ephone)?|fax|address|birth|ssn|passport/i;

const HISTORY_ENTRIES = 30;

/** The lead as an insight sees it, and the state its insight is cached for. */
export interface LeadState {
  readonly lead: LeadModel;
  readonly cacheKey: string;
  readonly settings: EffectiveAiSettings;
}

/** A worker acts for the tenant, not for a user: it sees every lead of the tenant. */
export function systemCaller(tenantId: string): AuthUser {
  return { userId: 'ai-worker', tenantId, role: Role.ADMIN, jti: '', exp: 0 };
}

/**
 * Reads what an insight is written from: the lead's score, breakdown and engagement, its score
 * history and its attributes less anything personal. Reads through the leads module, so a rep
 * asking about another rep's lead gets the same NOT_FOUND as for a lead that does not exist.
 */
@Injectable()
export class InsightInputReader {
  constructor(
    private readonly ranking: LeadRankingService,
    private readonly client: OpenAIInsightClient,
    private readonly settings: AiSettingsService,
  ) {}

  async state(caller: AuthUser, leadId: string): Promise<LeadState> {
    const ref = leadRefFor(caller.tenantId, leadId).toHexString();
    const [{ lead }, settings] = await Promise.all([
      this.ranking.one(caller, ref, { refresh: false, includeRaw: true }),
      this.settings.get(caller.tenantId),
    ]);
    return { lead, settings, cacheKey: this.cacheKeyOf(caller.tenantId, lead, settings) };
  }

  cacheKeyOf(tenantId: string, lead: LeadModel, settings: EffectiveAiSettings): string {
    return insightCacheKey({
      tenantId,
      leadId: lead.leadId,
      lastActivityAt: lead.engagement.lastActivityAt?.toISOString() ?? null,
      modelId: lead.breakdown.modelId,
      modelVersion: lead.breakdown.modelVersion,
      configVersion: lead.breakdown.configVersion,
      promptVersion: PROMPT_VERSION,
      model: this.client.configured ? this.client.model : 'fallback',
      status: lead.status,
      tier: lead.tier,
      fields: settingsStamp(settings),
    });
  }

  /** Only what the tenant's settings let through; contact details never. */
  async input(
    caller: AuthUser,
    { lead, settings }: Pick<LeadState, 'lead' | 'settings'>,
    now = new Date(),
  ): Promise<InsightInput> {
    const history = await this.ranking.history(caller, lead.id, HISTORY_ENTRIES);
    const allowed = settings.attributes ? new Set(settings.attributes) : null;
    const attributes = Object.fromEntries(
      Object.entries(lead.attributes ?? {}).filter(
        ([key]) => !PERSONAL.test(key) && (allowed === null || allowed.has(key)),
      ),
    );
    const breakdown = lead.breakdown;
    return {
      leadId: lead.leadId,
      name: settings.sendName ? (lead.name ?? null) : null,
      status: lead.status,
      score: lead.score,
      tier: lead.tier,
      modelType: breakdown.modelType,
      modelVersion: breakdown.modelVersion,
      configVersion: breakdown.configVersion,
      terms: breakdown.terms.map((t) => ({
        feature: t.feature,
        value: t.value,
        cap: t.cap,
        weight: t.weight,
        contribution: t.contribution,
      })),
      factors: breakdown.factors.map((f) => ({
        feature: f.feature,
        value: f.value ?? null,
        contribution: f.contribution,
      })),
      decayFactor: breakdown.decayFactor,
      daysSinceLastActivity: breakdown.daysSinceLastActivity ?? null,
      engagement: {
        emailOpens: lead.engagement.emailOpens,
        websiteVisits: lead.engagement.websiteVisits,
        timeSpentSeconds: lead.engagement.timeSpentSeconds,
        lastActivityAt: lead.engagement.lastActivityAt?.toISOString() ?? null,
      },
      // Oldest first.
      history: history
        .map((entry) => ({ at: entry.at.toISOString(), score: entry.score }))
        .reverse(),
      attributes,
      now: now.toISOString(),
    };
  }
}
