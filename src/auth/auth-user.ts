import { Role } from './role.enum';

/** Who is calling, as proven by a valid access token. Attached to every authenticated request. */
export interface AuthUser {
  readonly userId: string;
  readonly tenantId: string;
  readonly role: Role;
  /** The access token's id, so logout can revoke exactly this token. */
  readonly jti: string;
  /** Expiry of the access token, seconds since the epoch. */
  readonly exp: number;
}
