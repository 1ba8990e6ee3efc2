import { Types } from 'mongoose';

import type { LeadScore } from '../schemas/lead-score.schema';

/**
 * A stored score as the ranking index keeps it beside its rank (JSON in a Redis hash), so a page
 * is served without a database round trip. Ids travel as hex strings and dates as ISO strings.
 */
export function encodeScoreDoc(doc: LeadScore): string {
  // Attributes stay out: pages do not show them, and free-form attributes can be kilobytes a lead.
  // So does a shadow model's score (never shown).
  const { attributes: _attributes, shadow: _shadow, ...shown } = doc;
  return JSON.stringify(shown);
}

interface EncodedScoreDoc extends Omit<
  LeadScore,
  '_id' | 'tenantId' | 'leadRef' | 'lastActivityAt' | 'computedAt' | 'override'
> {
  override?: Omit<NonNullable<LeadScore['override']>, 'setAt' | 'expiresAt'> & {
    setAt: string;
    expiresAt: string | null;
  };
  _id: string;
  tenantId: string;
  leadRef: string;
  lastActivityAt: string | null;
  computedAt: string;
}

/**
 * The stored score, or null if it belongs to another tenant. The tenant's ObjectId is the caller's
 * (one for a whole page) and `_id` is the lead ref's: a page of 200 builds 200 ObjectIds, not 600.
 */
export function decodeScoreDoc(text: string, tenantId: Types.ObjectId): LeadScore | null {
  const raw = JSON.parse(text) as EncodedScoreDoc;
  if (raw.tenantId !== tenantId.toHexString()) return null;
  const leadRef = new Types.ObjectId(raw.leadRef);
  const { override, ...rest } = raw;
  return {
    ...rest,
    ...(override
      ? {
          override: {
            ...override,
            setAt: new Date(override.setAt),
            expiresAt: override.expiresAt === null ? null : new Date(override.expiresAt),
          },
        }
      : {}),
    _id: leadRef,
    tenantId,
    leadRef,
    lastActivityAt: raw.lastActivityAt === null ? null : new Date(raw.lastActivityAt),
    computedAt: new Date(raw.computedAt),
  };
}
