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
 * written off) and the model's score and tier when they differ from those shown (shown then), and
 * whatever tells a page's stale scores apart (computedAt).
 *
 * The stored text (format 3) is two parts joined by a newline (which never occurs in JSON text):
 * - the row, a JSON array of the fields by position, led by the format number: the lead id, name,
 *   email, status, the three engagement counts, the tier, then optional fields (null when absent,
 *   left off at the end);
 * - "leadVersion:computedAt|owner|score|lastActivityAt": what the index's scripts compare and order
 *   by (ranking-scripts.ts): dates as epoch milliseconds in base 36, the last activity empty for
 *   never, the owner empty when none (owners are user ids, never empty).
 * The lead ref is the doc's field in the `docs` hash (as its 12 bytes), and the tenant its key's
 * hash tag: neither is repeated in the text. The bench's bare baseline (bench/bare-graphql-server.ts)
 * reads the lead id, name and tier at positions 1, 2 and 8 and the score from the second part.
 *
 * Why (MEMORY USAGE): format 1 kept the whole score (~382 characters, ~1,160 with a trained model's
 * explanation: 493 of the 831 bytes Redis spent a lead at 5,000 leads); format 2 a row of ~205
 * characters with its version part (the tenant and lead ref in it, the owner, version, score and
 * activity twice, the model's score even when it was the score shown): ~285 bytes a lead in the
 * hash; format 3 ~100 characters.
 *
 * Docs of an earlier format are refused: the index is then out of step, invalidated and rebuilt
 * (pages come from MongoDB meanwhile). So after a deploy that changes the format the first read of
 * each tenant rebuilds its index once.
 */
export const SCORE_DOC_FORMAT = 3;
/** How a stored text of this format begins (the ranking scripts check it too). */
export const SCORE_DOC_ROW_START = `[${SCORE_DOC_FORMAT},`;

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

/** Format 3's row, by position (see the file's comment). */
type EncodedRow = [
  format: typeof SCORE_DOC_FORMAT,
  leadId: string,
  name: string | null,
  email: string | null,
  status: string,
  emailOpens: number,
  websiteVisits: number,
  timeSpentSeconds: number,
  tier: PriorityTier,
  // Optional: null when absent (and left off at the end).
  /** Only when it differs from the score: when absent, the model's score is the one shown. */
  modelScore?: number | null,
  /** Only when it differs from the tier. */
  modelTier?: PriorityTier | null,
  /** The override's expiry: 0 for "until cleared"; null (or left off) when there is none. */
  overrideExpiresAt?: number | null,
];

/** A row's fields with or without the stored document's `_id` and `tenantId` (`encodeScoreDoc`). */
export type ScoreRowFields = Omit<ScoreRow, '_id' | 'tenantId'> &
  Partial<Pick<ScoreRow, '_id' | 'tenantId'>>;

/** The stored text of a score's row and its ordering part (see the file's comment). */
export function encodeScoreDoc(doc: ScoreRowFields): string {
  const encoded: EncodedRow = [
    SCORE_DOC_FORMAT,
    doc.leadId,
    doc.name,
    doc.email,
    doc.status,
    doc.emailOpens,
    doc.websiteVisits,
    doc.timeSpentSeconds,
    doc.tier,
    doc.modelScore === undefined || doc.modelScore === doc.score ? null : doc.modelScore,
    doc.modelTier === undefined || doc.modelTier === doc.tier ? null : doc.modelTier,
    doc.override ? (doc.override.expiresAt?.getTime() ?? 0) : null,
  ];
  while (encoded[encoded.length - 1] === null) encoded.pop();
  const activity = doc.lastActivityAt ? doc.lastActivityAt.getTime().toString(36) : '';
  const version = `${doc.leadVersion ?? 0}:${doc.computedAt.getTime().toString(36)}`;
  return `${JSON.stringify(encoded)}\n${version}|${doc.ownerId ?? ''}|${doc.score}|${activity}`;
}

/** The ordering part: version:computedAt|owner|score|last activity (empty, or base 36 with a sign). */
const META = /^(\d+):([0-9a-z]+)\|([\s\S]*)\|([^|]*)\|((?:-?[0-9a-z]+)?)$/;

/** The score of an ordering part: a finite number, as the ranking scripts read it; null if not. */
function scoreOf(text: string): number | null {
  const score = Number(text);
  return text === '' || !Number.isFinite(score) ? null : score;
}

/** What the ranking scripts order a stored text by (its second part), as they read it. */
export interface ScoreDocOrdering {
  /** null: none. */
  readonly ownerId: string | null;
  /** The score's text, as a number. */
  readonly score: number;
  /** The last activity's epoch ms; null: never active. */
  readonly lastActivityAt: number | null;
}

/** The ordering part of a stored text, or null if it is of another format. */
export function readScoreDocOrdering(text: string): ScoreDocOrdering | null {
  if (!text.startsWith(SCORE_DOC_ROW_START)) return null;
  const end = text.indexOf('\n');
  const meta = end < 0 ? null : META.exec(text.slice(end + 1));
  if (!meta) return null;
  const score = scoreOf(meta[4]);
  if (score === null) return null;
  const activity = meta[5];
  return {
    ownerId: meta[3] === '' ? null : meta[3],
    score,
    lastActivityAt: activity === '' ? null : parseInt(activity, 36),
  };
}

/**
 * The row, or null if the text is of another format (the index is then treated as out of step and
 * rebuilt). The tenant's ObjectId is the caller's (one for a whole page) and `_id` is the lead ref's
 * (the doc's field in the hash).
 */
export function decodeScoreDoc(
  text: string,
  tenantId: Types.ObjectId,
  /** As hex, or its 12 bytes (a page's refs: no hex round trip, a third of a row's decoding). */
  leadRef: string | Uint8Array,
): ScoreRow | null {
  if (!text.startsWith(SCORE_DOC_ROW_START)) return null;
  const end = text.indexOf('\n');
  if (end < 0) return null;
  const meta = META.exec(text.slice(end + 1));
  if (!meta) return null;
  const score = scoreOf(meta[4]);
  if (score === null) return null;
  const raw = JSON.parse(text.slice(0, end)) as EncodedRow;
  const ref = new Types.ObjectId(typeof leadRef === 'string' ? leadRef : Buffer.from(leadRef));
  const row: ScoreRow = {
    _id: ref,
    tenantId,
    leadRef: ref,
    leadId: raw[1],
    name: raw[2],
    email: raw[3],
    ownerId: meta[3] === '' ? null : meta[3],
    status: raw[4],
    emailOpens: raw[5],
    websiteVisits: raw[6],
    timeSpentSeconds: raw[7],
    lastActivityAt: meta[5] === '' ? null : new Date(parseInt(meta[5], 36)),
    score,
    tier: raw[8],
    leadVersion: Number(meta[1]),
    computedAt: new Date(parseInt(meta[2], 36)),
  };
  // Optional fields: null, or past the end of the array, when absent.
  const modelScore = raw[9];
  const modelTier = raw[10];
  const overrideExpiresAt = raw[11];
  if (modelScore != null) row.modelScore = modelScore;
  if (modelTier != null) row.modelTier = modelTier;
  if (overrideExpiresAt != null)
    row.override = { expiresAt: overrideExpiresAt === 0 ? null : new Date(overrideExpiresAt) };
  return row;
}
