/**
 * The decisions of an engine supervisor, as plain functions: when failed checks mean a broken
 * engine, how long to wait before a restart, and when to give up.
 */

/** Checks failing in a row before the engine counts as broken: one slow answer is not an outage. */
export const FAILED_CHECKS_BEFORE_RESTART = 3;

/**
 * Passing checks in a row after which a restarted engine counts as stable again and the restart
 * budget is full again: maxRestarts bounds a crash loop, not the restarts of a months-long run.
 */
export const PASSED_CHECKS_TO_RESET_BUDGET = 12;

/** Longest pause between two restarts of one engine. */
export const MAX_RESTART_DELAY_MS = 30_000;

export interface SupervisionState {
  /** Checks failed since the last one that passed. */
  readonly failedChecks: number;
  /** Checks passed since the last restart (or failure). */
  readonly passedChecks: number;
  /** Restarts since the engine was last stable. */
  readonly restarts: number;
}

export const INITIAL_STATE: SupervisionState = { failedChecks: 0, passedChecks: 0, restarts: 0 };

/** The state after one write+read check, and whether the engine must now be restarted. */
export function afterCheck(
  state: SupervisionState,
  passed: boolean,
): { state: SupervisionState; restart: boolean } {
  if (passed) {
    const passedChecks = state.passedChecks + 1;
    return {
      state: {
        failedChecks: 0,
        passedChecks,
        restarts: passedChecks >= PASSED_CHECKS_TO_RESET_BUDGET ? 0 : state.restarts,
      },
      restart: false,
    };
  }
  const failedChecks = state.failedChecks + 1;
  return {
    state: { ...state, failedChecks, passedChecks: 0 },
    restart: failedChecks >= FAILED_CHECKS_BEFORE_RESTART,
  };
}

/** Whether one more restart is allowed, given how many were made since the engine was stable. */
export function mayRestart(state: SupervisionState, maxRestarts: number): boolean {
  return state.restarts < maxRestarts;
}

/** The state once a restart has been made (successful or not). */
export function afterRestart(state: SupervisionState): SupervisionState {
  return { failedChecks: 0, passedChecks: 0, restarts: state.restarts + 1 };
}

/**
 * Pause before the next restart: none for the first (an engine that died once comes back at once),
 * then the watch interval doubling each time, so a crash loop does not spin.
 */
export function restartDelayMs(state: SupervisionState, watchIntervalMs: number): number {
  if (state.restarts === 0) return 0;
  return Math.min(watchIntervalMs * 2 ** (state.restarts - 1), MAX_RESTART_DELAY_MS);
}

/** How long one check may take: a hung engine fails its check instead of stalling the watch. */
export function checkTimeoutMs(watchIntervalMs: number): number {
  return Math.min(Math.max(watchIntervalMs, 1_000), 5_000);
}
