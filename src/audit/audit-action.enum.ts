import { registerEnumType } from '@nestjs/graphql';

export enum AuditAction {
  TENANT_REGISTERED = 'TENANT_REGISTERED',
  LOGIN_SUCCEEDED = 'LOGIN_SUCCEEDED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  LOGIN_RATE_LIMITED = 'LOGIN_RATE_LIMITED',
  LOGOUT = 'LOGOUT',
  TOKEN_REFRESHED = 'TOKEN_REFRESHED',
  TOKEN_REUSE_DETECTED = 'TOKEN_REUSE_DETECTED',
  USER_CREATED = 'USER_CREATED',
  ROLE_CHANGED = 'ROLE_CHANGED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  WEBHOOK_SECRET_ROTATED = 'WEBHOOK_SECRET_ROTATED',
  /** Outbound webhooks (src/webhooks): subscriptions made, changed, paused, resumed, deleted. */
  WEBHOOK_CREATED = 'WEBHOOK_CREATED',
  WEBHOOK_UPDATED = 'WEBHOOK_UPDATED',
  WEBHOOK_PAUSED = 'WEBHOOK_PAUSED',
  WEBHOOK_RESUMED = 'WEBHOOK_RESUMED',
  WEBHOOK_DELETED = 'WEBHOOK_DELETED',
  MODEL_LIFECYCLE_UPDATED = 'MODEL_LIFECYCLE_UPDATED',
  /** A guided setup (src/model-setup) applied to a dataset version, ready to train with. */
  MODEL_SETUP_APPLIED = 'MODEL_SETUP_APPLIED',
  /** Manual score overrides (src/scoring/override): set, cleared by a manager, lapsed. */
  SCORE_OVERRIDE_SET = 'SCORE_OVERRIDE_SET',
  SCORE_OVERRIDE_CLEARED = 'SCORE_OVERRIDE_CLEARED',
  SCORE_OVERRIDE_EXPIRED = 'SCORE_OVERRIDE_EXPIRED',
}
registerEnumType(AuditAction, { name: 'AuditAction' });
