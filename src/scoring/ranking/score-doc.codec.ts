import { Types } from 'mongoose';

import type { LeadScore } from '../schemas/lead-score.schema';
import type { PriorityTier } from '../scorer/priority-tier.util';

/**
 * What the ranking index keeps of a stored score beside its rank (a value of the tenant's `docs`
 * hash): the fields a row of the ranked list shows, so that such a page is served without a
 * database round trip. The breakdown, the trend points, the override's details and the model's
 * explanation stay in MongoDB: a page that asks for them reads them there, by the page's lead ids
 * (LeadScoreQueries). The dashboard's table asks for none of them (a row's breakdown is loaded
 * when it is opened), nor does an API client listing leads by score.
 *
 * The row holds the override's expiry (a lapsed override shows the model's score, and is
 * written off) and the model's score and tier (shown then), and whatever tells a page's stale
 * scores apart (computedAt). The tenant stays too (as its hex), so that a doc under another
 * tenant's key is refused, not served.
 *
 * Format 2 is a JSON array of the fields by position, led by the format number: dates are epoch
 * milliseconds, ids hex strings; optional fields absent from the score are null, and left off at
 * the end. Positions 1–4, 12 and 13 (tenant, lead ref, lead id, name, score, tier) are those of
 * format 1 and are read by the bench's bare baseline (bench/bare-graphql-server.ts).
 *
 * The index stores each doc followed by a newline and "leadVersion:computedAt|owner" (what its
 * scripts compare and move by: ranking-scripts.ts); `decodeScoreDoc` reads either.
 *
 * Why (5,000 leads of the bench, weighted sum, measured with MEMORY USAGE): format 1 kept the
 * whole score (~382 characters, ~1,160 with a trained model's explanation): 493 of the 831 bytes
 * Redis spent a lead. A row is ~180 characters whatever the model.
 *
 * Docs of an earlier format (a keyed object, or format 1) are refused like another tenant's: the
 * index is then out of step, invalidated and rebuilt (pages come from MongoDB meanwhile). So after
 * a deploy the first read of each tenant rebuilds its index once.
 */
export const SCORE_DOC_FORMAT = 2;

/** A stored score as a row of the ranked list shows it (see the file's comment). */
export interface ScoreRow extends Pick<
  LeadScore,
  | '_id'
  | 'tenantId'
  | 'leadRef'
  | 'leadId'
  | 'name'
  | 'email'
  | 'ownerId'
  | 'status'
  | 'emailOpens'
  | 'websiteVisits'
  | 'timeSpentSeconds'
  | 'lastActivityAt'
  | 'score'
  | 'tier'
  | 'leadVersion'
  | 'computedAt'
  | 'modelScore'
  | 'modelTier'
> {
  /** Present while the score has an override: when it ends (null: until cleared). */
  override?: { readonly expiresAt: Date | null };
}

/**
 * The MongoDB projection that reads just what a row needs (the ranking index's rebuild). An
 * inclusion: on mongo-java-server reading 100,000 scores with it took 1.5 s against 2.7 s whole
 * (an exclusion copies every document and was slower than none), and the app decodes a fraction
 * of the BSON.
 */
export const SCORE_ROW_PROJECTION = {
  _id: 1,
  tenantId: 1,
  leadRef: 1,
  leadId: 1,
  name: 1,
  email: 1,
  ownerId: 1,
  status: 1,
  emailOpens: 1,
  websiteVisits: 1,
  timeSpentSeconds: 1,
  lastActivityAt: 1,
  score: 1,
  tier: 1,
  leadVersion: 1,
  computedAt: 1,
  modelScore: 1,
  modelTier: 1,
  'override.expiresAt': 1,
} as const;

/** Format 2, by position (see the file's comment). */
type EncodedRow = [
  format: typeof SCORE_DOC_FORMAT,
  tenantId: string,
  leadRef: string,
  leadId: string,
  name: string | null,
  email: string | null,
  ownerId: string | null,
  status: string,
  emailOpens: number,
  websiteVisits: number,
  timeSpentSeconds: number,
  lastActivityAt: number | null,
  score: number,
  tier: PriorityTier,
  leadVersion: number,
  computedAt: number,
  // Optional: null when absent (and left off at the end).
  modelScore?: number | null,
  modelTier?: PriorityTier | null,
  /** The override's expiry: 0 for "until cleared"; null (or left off) when there is none. */
  overrideExpiresAt?: number | null,
];

/** The row of a stored score (whole, or read with SCORE_ROW_PROJECTION). */
/** A row's fields with or without the stored document's `_id` and `tenantId` (`encodeScoreDoc`). */
export type ScoreRowFields = Omit<ScoreRow, '_id' | 'tenantId'> &
  Partial<Pick<ScoreRow, '_id' | 'tenantId'>>;

/**
 * The row's text. `tenantHex` is the tenant's id in hex, for a document that does not carry it (a
 * score write, before it is stored) or to convert it once for a whole batch.
 */
export function encodeScoreDoc(
  doc: ScoreRowFields,
  tenantHex: string = doc.tenantId!.toHexString(),
): string {
  const encoded: EncodedRow = [
    SCORE_DOC_FORMAT,
    tenantHex,
    doc.leadRef.toHexString(),
    doc.leadId,
    doc.name,
    doc.email,
    doc.ownerId,
    doc.status,
    doc.emailOpens,
    doc.websiteVisits,
    doc.timeSpentSeconds,
    doc.lastActivityAt ? doc.lastActivityAt.getTime() : null,
    doc.score,
    doc.tier,
    doc.leadVersion,
    doc.computedAt.getTime(),
    doc.modelScore ?? null,
    doc.modelTier ?? null,
    doc.override ? (doc.override.expiresAt?.getTime() ?? 0) : null,
  ];
  while (encoded[encoded.length - 1] === null) encoded.pop();
  return JSON.stringify(encoded);
}

/**
 * The row, or null if it belongs to another tenant or is of another format (the index is then
 * treated as out of step and rebuilt). The tenant's ObjectId is the caller's (one for a whole
 * page) and `_id` is the lead ref's.
 */
export function decodeScoreDoc(text: string, tenantId: Types.ObjectId): ScoreRow | null {
  if (text.charCodeAt(0) !== 0x5b /* [ */) return null;
  // The index keeps the doc followed by a newline and its version part (ranking-scripts.ts).
  const end = text.indexOf('\n');
  const raw = JSON.parse(end < 0 ? text : text.slice(0, end)) as EncodedRow;
  if (raw[0] !== SCORE_DOC_FORMAT || raw[1] !== hexOf(tenantId)) return null;
  const leadRef = new Types.ObjectId(raw[2]);
  const lastActivityAt = raw[11];
  const row: ScoreRow = {
    _id: leadRef,
    tenantId,
    leadRef,
    leadId: raw[3],
    name: raw[4],
    email: raw[5],
    ownerId: raw[6],
    status: raw[7],
    emailOpens: raw[8],
    websiteVisits: raw[9],
    timeSpentSeconds: raw[10],
    lastActivityAt: lastActivityAt === null ? null : new Date(lastActivityAt),
    score: raw[12],
    tier: raw[13],
    leadVersion: raw[14],
    computedAt: new Date(raw[15]),
  };
  // Optional fields: null, or past the end of the array, when absent.
  const modelScore = raw[16];
  const modelTier = raw[17];
  const overrideExpiresAt = raw[18];
  if (modelScore != null) row.modelScore = modelScore;
  if (modelTier != null) row.modelTier = modelTier;
  if (overrideExpiresAt != null)
    row.override = { expiresAt: overrideExpiresAt === 0 ? null : new Date(overrideExpiresAt) };
  return row;
}

/** The tenant's hex, computed once for a page's worth of calls with the same ObjectId. */
let lastTenant: Types.ObjectId | undefined;
let lastTenantHex = '';
function hexOf(tenantId: Types.ObjectId): string {
  if (tenantId !== lastTenant) {
    lastTenantHex = tenantId.toHexString();
    lastTenant = tenantId;
  }
  return lastTenantHex;
}
