import { revocationConcerns } from './revocation-concerns.util';

describe('revocationConcerns', () => {
  const socketUser = { userId: 'u1', jti: 'token-a' };

  it('a logout concerns the socket holding that very token only', () => {
    expect(revocationConcerns({ scope: 'token', jti: 'token-a' }, socketUser)).toBe(true);
    expect(revocationConcerns({ scope: 'token', jti: 'token-b' }, socketUser)).toBe(false);
  });

  it("a user-wide revocation concerns every socket of that user, and no one else's", () => {
    expect(revocationConcerns({ scope: 'user', userId: 'u1' }, socketUser)).toBe(true);
    expect(revocationConcerns({ scope: 'user', userId: 'u2' }, socketUser)).toBe(false);
  });

  it('a token id equal to another user id is not mistaken for it', () => {
    expect(revocationConcerns({ scope: 'token', jti: 'u1' }, socketUser)).toBe(false);
    expect(revocationConcerns({ scope: 'user', userId: 'token-a' }, socketUser)).toBe(false);
  });
});
