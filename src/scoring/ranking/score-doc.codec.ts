import { Types } from 'mongoose';

import type { LeadScore } from '../schemas/lead-score.schema';

/**
 * A stored score as the ranking index keeps it beside its rank (JSON in a Redis hash), so a page
 * is served without a database round trip. Ids travel as hex strings and dates as ISO strings.
 */
export function encodeScoreDoc(doc: LeadScore): string {
  return JSON.stringify(doc);
}

interface EncodedScoreDoc extends Omit<
  LeadScore,
  '_id' | 'tenantId' | 'leadRef' | 'lastActivityAt' | 'computedAt'
> {
  _id: string;
  tenantId: string;
  leadRef: string;
  lastActivityAt: string | null;
  computedAt: string;
}

export function decodeScoreDoc(text: string): LeadScore {
  const raw = JSON.parse(text) as EncodedScoreDoc;
  return {
    ...raw,
    _id: new Types.ObjectId(raw._id),
    tenantId: new Types.ObjectId(raw.tenantId),
    leadRef: new Types.ObjectId(raw.leadRef),
    lastActivityAt: raw.lastActivityAt === null ? null : new Date(raw.lastActivityAt),
    computedAt: new Date(raw.computedAt),
  };
}
