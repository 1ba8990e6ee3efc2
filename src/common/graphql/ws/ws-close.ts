/**
 * Close codes a graphql-ws client can meet beyond the protocol's own. 4403 is the protocol's
 * "Forbidden" (also what a bad token at connect time gets): a client may reconnect with a fresh
 * token. 4429 is the protocol's "too many initialisation requests", which clients treat as fatal,
 * reused here for "too many sockets": retrying at once would only be refused again.
 */
export const WsClose = {
  TOKEN_REVOKED: { code: 4403, reason: 'Forbidden: access token revoked' },
  TOKEN_EXPIRED: { code: 4403, reason: 'Forbidden: access token expired' },
  tooManySockets: (max: number) => ({
    code: 4429,
    reason: `Too many sockets: at most ${max} per user`,
  }),
} as const;

export interface WsCloseFrame {
  readonly code: number;
  readonly reason: string;
}
