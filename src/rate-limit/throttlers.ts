/**
 * The two request budgets, as @nestjs/throttler throttlers (`RateLimitModule`), spent by
 * `RequestGate` (src/auth/guards/request-gate.guard.ts) through `RequestBudgets`.
 */

/** Per client address, counted before authentication. */
export const IP_THROTTLER = 'ip';
/** Per user, after authentication: GraphQL, REST and WebSocket operations spend the same one. */
export const USER_THROTTLER = 'user';

/** The tracker of a user's request budget; `RateLimiterService.hitUserBudget` counts the same key. */
export function userBudgetTracker(userId: string): string {
  return `user:${userId}`;
}
