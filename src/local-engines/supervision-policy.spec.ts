import {
  afterCheck,
  afterRestart,
  checkTimeoutMs,
  FAILED_CHECKS_BEFORE_RESTART,
  INITIAL_STATE,
  MAX_RESTART_DELAY_MS,
  mayRestart,
  PASSED_CHECKS_TO_RESET_BUDGET,
  restartDelayMs,
  SupervisionState,
} from './supervision-policy';

function run(state: SupervisionState, checks: boolean[]) {
  let restart = false;
  for (const passed of checks) ({ state, restart } = afterCheck(state, passed));
  return { state, restart };
}

describe('supervision policy', () => {
  it('restarts only after several failed checks in a row, not after one slow answer', () => {
    const failures = Array<boolean>(FAILED_CHECKS_BEFORE_RESTART).fill(false);
    expect(run(INITIAL_STATE, failures.slice(1)).restart).toBe(false);
    expect(run(INITIAL_STATE, failures).restart).toBe(true);
    // A pass in between starts the count again.
    expect(run(INITIAL_STATE, [false, false, true, false, false]).restart).toBe(false);
  });

  it('gives up after maxRestarts restarts in a row', () => {
    let state = INITIAL_STATE;
    for (let i = 0; i < 5; i++) {
      expect(mayRestart(state, 5)).toBe(true);
      state = afterRestart(state);
    }
    expect(mayRestart(state, 5)).toBe(false);
    expect(mayRestart(INITIAL_STATE, 0)).toBe(false);
  });

  it('fills the restart budget again once a restarted engine has been stable for a while', () => {
    const restarted = afterRestart(afterRestart(INITIAL_STATE));
    const almost = run(restarted, Array<boolean>(PASSED_CHECKS_TO_RESET_BUDGET - 1).fill(true));
    expect(almost.state.restarts).toBe(2);
    expect(afterCheck(almost.state, true).state.restarts).toBe(0);
    // A failure interrupts the stable stretch.
    const interrupted = run(restarted, [
      ...Array<boolean>(PASSED_CHECKS_TO_RESET_BUDGET - 1).fill(true),
      false,
      true,
    ]);
    expect(interrupted.state.restarts).toBe(2);
  });

  it('restarts at once the first time, then backs off up to a ceiling', () => {
    let state = INITIAL_STATE;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      delays.push(restartDelayMs(state, 1_000));
      state = afterRestart(state);
    }
    expect(delays).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, MAX_RESTART_DELAY_MS, 30_000]);
  });

  it('bounds one check between 1 and 5 seconds', () => {
    expect(checkTimeoutMs(200)).toBe(1_000);
    expect(checkTimeoutMs(3_000)).toBe(3_000);
    expect(checkTimeoutMs(60_000)).toBe(5_000);
  });
});
