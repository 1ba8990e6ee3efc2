import { checkTokenExpiry, MAX_TIMER_DELAY_MS } from './token-expiry.util';

describe('checkTokenExpiry', () => {
  const exp = 1_800_000_000; // seconds, as in a JWT

  it('asks to look again exactly when the token expires', () => {
    expect(checkTokenExpiry(exp, exp * 1000 - 1500)).toEqual({
      expired: false,
      checkAgainInMs: 1500,
    });
  });

  it('says expired at the expiry instant and after it', () => {
    expect(checkTokenExpiry(exp, exp * 1000)).toEqual({ expired: true });
    expect(checkTokenExpiry(exp, exp * 1000 + 60_000)).toEqual({ expired: true });
  });

  it('never asks for a wait setTimeout cannot hold (it would fire at once)', () => {
    const thirtyDaysMs = 30 * 24 * 3600 * 1000;
    expect(checkTokenExpiry(exp, exp * 1000 - thirtyDaysMs)).toEqual({
      expired: false,
      checkAgainInMs: MAX_TIMER_DELAY_MS,
    });
  });
});
