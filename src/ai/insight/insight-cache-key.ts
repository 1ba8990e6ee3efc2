/**
 * The cache key of a lead's insight: the same state gives the same key, any field changing gives
 * another. A sha256 (hex) of a canonical encoding: a JSON array of the fields in a fixed order
 * (JSON strings are unambiguous, so no two states encode alike), numbers as their decimal text.
 */
import { createHash } from 'node:crypto';

/** Bumped if the encoding itself changes. */
const KEY_SCHEME = 'lead-insight-key:1';

export interface InsightCacheKeyParts {
  readonly tenantId: string;
  readonly leadId: string;
  /** ISO date-time (a readable date counts by its instant, so "…:00Z" and "…:00.000Z" agree). */
  readonly lastActivityAt: string | null;
  readonly modelId: string;
  readonly modelVersion: number;
  readonly configVersion: number;
  readonly promptVersion: string;
  /** The OpenAI model name. */
  readonly model: string;
  /**
   * What else the insight speaks to that can change without activity: the lead's status and tier
   * (a lead closed, or decayed into another tier, gets a new insight).
   */
  readonly status?: string;
  readonly tier?: string;
  /** What the tenant lets insights send (a stamp of its settings). */
  readonly fields?: string;
}

function instant(value: string | null): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? `raw:${value}` : new Date(ms).toISOString();
}

export function insightCacheKey(parts: InsightCacheKeyParts): string {
  const canonical = JSON.stringify([
    KEY_SCHEME,
    String(parts.tenantId),
    String(parts.leadId),
    instant(parts.lastActivityAt),
    String(parts.modelId),
    String(parts.modelVersion),
    String(parts.configVersion),
    String(parts.promptVersion),
    String(parts.model),
    parts.status ?? null,
    parts.tier ?? null,
    ...(parts.fields !== undefined ? [parts.fields] : []),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
