import { isFinalFailure } from './final-failure.util';

describe('isFinalFailure', () => {
  it('is final once the attempts are used up', () => {
    expect(isFinalFailure({ attemptsMade: 2, opts: { attempts: 3 } }, new Error('boom'))).toBe(
      false,
    );
    expect(isFinalFailure({ attemptsMade: 3, opts: { attempts: 3 } }, new Error('boom'))).toBe(
      true,
    );
    expect(isFinalFailure({ attemptsMade: 1, opts: {} }, new Error('boom'))).toBe(true);
  });

  it('is final when Bull gave up on a job that stalled too often, attempts left or not', () => {
    const stalled = new Error('job stalled more than allowable limit');
    expect(isFinalFailure({ attemptsMade: 0, opts: { attempts: 3 } }, stalled)).toBe(true);
  });
});
