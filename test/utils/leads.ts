import { scoreEngagement, ScoringParameters } from '@/scoring/scorer/score-engagement.util';

import { bearer, Session } from './auth';
import { gql } from './graphql-client';

export interface LeadSpec {
  leadId: string;
  name?: string;
  email?: string;
  ownerId?: string;
  status?: string;
  attributes?: Record<string, unknown>;
}

export function makeLead(overrides: Partial<LeadSpec> & { leadId: string }): LeadSpec {
  return {
    name: `Lead ${overrides.leadId}`,
    email: `${overrides.leadId.toLowerCase()}@example.test`,
    ...overrides,
  };
}

export async function upsertLeads(
  url: string,
  session: Session,
  leads: LeadSpec[],
): Promise<{ id: string; leadId: string; score: number }[]> {
  const response = await gql<{
    upsertLeads: { leads: { id: string; leadId: string; score: number }[] };
  }>(
    url,
    'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created updated leads { id leadId score } } }',
    { variables: { input: { leads } }, headers: bearer(session) },
  );
  if (!response.data) throw new Error(`upsertLeads failed: ${JSON.stringify(response.errors)}`);
  return response.data.upsertLeads.leads;
}

export interface InteractionSpec {
  leadId: string;
  type: 'EMAIL_OPEN' | 'WEBSITE_VISIT' | 'ACTIVITY';
  occurredAt: string;
  secondsSpent?: number;
  idempotencyKey: string;
}

let keySeq = 0;
export function makeInteraction(
  overrides: Partial<InteractionSpec> & { leadId: string },
): InteractionSpec {
  keySeq += 1;
  return {
    type: 'EMAIL_OPEN',
    occurredAt: new Date().toISOString(),
    idempotencyKey: `key-${process.pid}-${keySeq}`,
    ...overrides,
  };
}

export async function recordInteractions(
  url: string,
  session: Session,
  interactions: InteractionSpec[],
) {
  return gql<{
    recordInteractions: { accepted: number; duplicates: number; leadsRescored: number };
  }>(
    url,
    'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted duplicates leadsRescored } }',
    { variables: { input: { interactions } }, headers: bearer(session) },
  );
}

/** A lead as the leads query returns it with its engagement and when it was scored. */
export interface ScoredLeadView {
  leadId: string;
  score: number;
  breakdown: { configVersion: number; computedAt: string };
  engagement: {
    emailOpens?: number;
    websiteVisits: number;
    timeSpentSeconds: number;
    lastActivityAt: string;
  };
}

/** What the formula gives for this lead's stored engagement at the time it was scored. */
export function expectedScore(lead: ScoredLeadView, parameters: ScoringParameters): number {
  return scoreEngagement(
    {
      emailOpens: lead.engagement.emailOpens ?? 0,
      websiteVisits: lead.engagement.websiteVisits,
      timeSpentSeconds: lead.engagement.timeSpentSeconds,
      lastActivityAt: new Date(lead.engagement.lastActivityAt),
    },
    parameters,
    new Date(lead.breakdown.computedAt),
  ).score;
}
