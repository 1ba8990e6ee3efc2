import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import type { LeadClosingService } from '@/leads/lead-closing.service';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import type { Lead } from '@/leads/schemas/lead.schema';
import type { LeadScoreQueries } from '@/scoring/lead-score-queries.service';

import { FeedbackException } from './feedback.exception';
import type { ShownScore } from './schemas/outcome.schema';

/**
 * The lead a call about `leadId` may touch: of the caller's tenant (else NOT_FOUND, as if it did
 * not exist) and, for a rep, their own (else FORBIDDEN: reps see their tenant's lead ids).
 */
export async function reachableLead(
  leads: LeadClosingService,
  user: AuthUser,
  leadId: string,
): Promise<Lead> {
  const lead = await leads.findForClose(user.tenantId, leadRefFor(user.tenantId, leadId));
  if (!lead) throw FeedbackException.leadNotFound(leadId);
  if (user.role === Role.REP && lead.ownerId !== user.userId)
    throw FeedbackException.notYourLead(leadId);
  return lead;
}

/** The score the lead shows now (null before its first scoring). */
export async function shownScore(
  scores: LeadScoreQueries,
  tenantId: string,
  lead: Pick<Lead, '_id'>,
): Promise<ShownScore | null> {
  const score = await scores.findOneByLeadRef(tenantId, lead._id.toHexString());
  return score ? toShown(score) : null;
}

export function toShown(score: ShownScore): ShownScore {
  return {
    score: score.score,
    tier: score.tier,
    modelId: score.modelId,
    modelVersion: score.modelVersion,
    configVersion: score.configVersion,
    ...(score.shadow ? { shadow: { ...score.shadow } } : {}),
  };
}
