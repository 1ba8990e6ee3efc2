import { Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { LeadSnapshot } from '@/scoring/lead-score.types';

import { Lead } from './schemas/lead.schema';

/** A lead's `_id` follows from its tenant and external id: ingestion resolves ids without a query. */
export function leadRefFor(tenantId: string, leadId: string): Types.ObjectId {
  return derivedObjectId('lead', tenantId, leadId);
}

export function toSnapshot(lead: Lead): LeadSnapshot {
  return {
    leadRef: lead._id,
    leadId: lead.leadId,
    name: lead.name,
    email: lead.email,
    ownerId: lead.ownerId,
    status: lead.status,
    emailOpens: lead.emailOpens,
    websiteVisits: lead.websiteVisits,
    timeSpentSeconds: lead.timeSpentSeconds,
    lastActivityAt: lead.lastActivityAt,
    version: lead.version,
    // Engagement writes read leads without their attributes: the score's copy stands in then.
    ...(lead.attributes !== undefined ? { attributes: lead.attributes } : {}),
    ...(lead.attributesStamp ? { attributesStamp: lead.attributesStamp } : {}),
  };
}
