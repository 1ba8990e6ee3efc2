/** What the cache needs of a verified token: its expiry, seconds since the epoch (`exp`). */
export interface ExpiringToken {
  readonly exp: number;
}

export interface VerifiedTokenCacheOptions {
  /** Tokens kept at most; the oldest entry goes first when full. */
  readonly maxEntries: number;
  /** How long a verification is reused at most, whatever the token's own expiry. */
  readonly maxAgeMs: number;
}

interface Entry<T> {
  readonly value: T;
  readonly reuseUntilMs: number;
}

/**
 * Verified access tokens by their exact text, so that a client sending the same token again is
 * not verified again: the signature check (an HMAC, or RSA through a JWKS) and the JSON of the
 * claims were the largest part of the guards' CPU at saturation (4 % of the busy time).
 *
 * Reusing a verification is safe because it is keyed by the whole token: the same bytes carry the
 * same signature and claims, so they verify the same way until a time-dependent check changes its
 * answer: the expiry, checked on every hit as jsonwebtoken does (`exp` is past once the current
 * second reaches it); `nbf` and the signature are fixed. What the token text cannot tell (a key
 * taken out of the JWKS) is bounded by `maxAgeMs`. Revocation is not a property of the text and is
 * checked on every request elsewhere (`RequestGate`).
 */
export class VerifiedTokenCache<T extends ExpiringToken> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: VerifiedTokenCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The verification stored for this token, or undefined: never stored, aged out, or expired
   * (an expired token is forgotten and must be verified again, which refuses it).
   */
  get(token: string, nowMs: number): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs >= entry.reuseUntilMs || Math.floor(nowMs / 1000) >= entry.value.exp) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a token that has just been verified at `nowMs`. */
  set(token: string, value: T, nowMs: number): void {
    if (this.options.maxEntries <= 0) return;
    this.entries.delete(token);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(token, { value, reuseUntilMs: nowMs + this.options.maxAgeMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
