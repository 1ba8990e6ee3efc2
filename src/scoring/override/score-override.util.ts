/**
 * Manual score overrides (Mautic #967/#6310): a manager pins the shown score while the model keeps
 * scoring beneath it. Pure decisions only; LeadScoringService stores what they answer.
 */
export interface ScoreOverride {
  readonly score: number;
  readonly reason: string;
  /** The user who set it. */
  readonly setBy: string;
  readonly setAt: Date;
  /** null: until cleared. */
  readonly expiresAt: Date | null;
}

export type OverrideAction =
  { readonly kind: 'SET'; readonly override: ScoreOverride } | { readonly kind: 'CLEAR' };

/** What a score write did to the override (null: nothing). */
export type OverrideChange = 'SET' | 'CLEARED' | 'EXPIRED';

export const OVERRIDE_REASON_MAX = 500;

/** Whether an override (whole, or a ranking row's expiry alone) still holds at `now`. */
export function isOverrideActive<T extends Pick<ScoreOverride, 'expiresAt'>>(
  override: T | null | undefined,
  now: Date,
): override is T {
  return (
    !!override && (override.expiresAt === null || override.expiresAt.getTime() > now.getTime())
  );
}

/** What the expiry sweep does with a due entry (ScoreOverrideExpiries), given its score. */
export type DueExpiryAction =
  /** The entry stands for nothing any more: the score is gone (or another tenant's), has no
   * override (cleared, or expired already), or one without an expiry. */
  | { readonly kind: 'DROP' }
  /** The score's override is active with an expiry (set again): the entry moves to it. */
  | { readonly kind: 'MOVE'; readonly expiresAt: Date }
  /** Lapsed: the sweep writes its expiry; the entry stays until a later sweep reads it done. */
  | { readonly kind: 'EXPIRE' };

export function dueExpiryAction(
  entryTenantId: string,
  score:
    | { readonly tenantId: string; readonly override?: Pick<ScoreOverride, 'expiresAt'> | null }
    | undefined,
  now: Date,
): DueExpiryAction {
  if (!score || score.tenantId !== entryTenantId || !score.override) return { kind: 'DROP' };
  if (!isOverrideActive(score.override, now)) return { kind: 'EXPIRE' };
  return score.override.expiresAt
    ? { kind: 'MOVE', expiresAt: score.override.expiresAt }
    : { kind: 'DROP' };
}

/**
 * The override a score write stores, and the change it records. Every write drops an override
 * that has lapsed (as EXPIRED), whatever else it does: an expired override is never written again.
 */
export function nextOverride(
  before: ScoreOverride | null | undefined,
  action: OverrideAction | undefined,
  now: Date,
): { override: ScoreOverride | null; change: OverrideChange | null } {
  if (action?.kind === 'SET') return { override: action.override, change: 'SET' };
  if (!before) return { override: null, change: null };
  if (!isOverrideActive(before, now)) return { override: null, change: 'EXPIRED' };
  if (action?.kind === 'CLEAR') return { override: null, change: 'CLEARED' };
  return { override: before, change: null };
}

/** The score shown: the override while it lasts, else the model's. */
export function shownScore(
  modelScore: number,
  override: ScoreOverride | null | undefined,
  now: Date,
): number {
  return isOverrideActive(override, now) ? override.score : modelScore;
}

export interface OverrideInput {
  readonly score: number;
  readonly reason: string;
  readonly expiresAt?: Date | null;
}

export interface OverrideProblem {
  readonly path: 'score' | 'reason' | 'expiresAt';
  readonly message: string;
}

/** Every problem of the input at once (an empty list: valid). */
export function overrideInputProblems(input: OverrideInput, now: Date): OverrideProblem[] {
  const problems: OverrideProblem[] = [];
  if (
    typeof input.score !== 'number' ||
    !Number.isFinite(input.score) ||
    input.score < 0 ||
    input.score > 100
  )
    problems.push({ path: 'score', message: 'must be a number from 0 to 100' });
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length === 0) problems.push({ path: 'reason', message: 'must not be empty' });
  else if (reason.length > OVERRIDE_REASON_MAX)
    problems.push({ path: 'reason', message: `must be at most ${OVERRIDE_REASON_MAX} characters` });
  if (input.expiresAt != null) {
    const at = input.expiresAt;
    if (!(at instanceof Date) || Number.isNaN(at.getTime()))
      problems.push({ path: 'expiresAt', message: 'must be a date-time' });
    else if (at.getTime() <= now.getTime())
      problems.push({ path: 'expiresAt', message: 'must be in the future' });
  }
  return problems;
}
