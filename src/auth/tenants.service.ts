import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';
import { isSealed, openSecret, sealedKeyId, sealSecret } from '@/common/crypto/secret-box.util';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { AuthUser } from './auth-user';
import { Tenant } from './schemas/tenant.schema';

/**
 * Tenant-level settings: for now the webhook signing secret, kept sealed (AES-256-GCM under
 * SECRETS_ENCRYPTION_KEYS): a copy of the database alone does not let anyone sign deliveries.
 */
@Injectable()
export class TenantsService {
  private readonly logger = new Logger(TenantsService.name);
  private readonly keys: ConnectedAppConfig['secretKeys']['keys'];

  constructor(
    @InjectModel(Tenant.name) private readonly tenants: Model<Tenant>,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.keys = config.secretKeys.keys;
  }

  /**
   * The tenant's webhook secret, or null. A secret stored in plaintext (before sealing existed)
   * or sealed under a key that is no longer the first is sealed anew under the current key as it
   * is read: after a key rotation, secrets move to the new key as their tenants deliver.
   */
  async webhookSecretOf(tenantId: string): Promise<string | null> {
    if (!Types.ObjectId.isValid(tenantId)) return null;
    const tenant = await this.tenants
      .findById(tenantId, { webhookSecret: 1 })
      .lean<Tenant>()
      .exec();
    const stored = tenant?.webhookSecret ?? null;
    if (stored === null) return null;
    let secret: string;
    try {
      secret = isSealed(stored) ? openSecret(stored, this.keys) : stored;
    } catch (error) {
      this.logger.error({
        msg: 'webhook secret cannot be opened with the configured keys',
        tenantId,
        error: (error as Error).message,
      });
      return null;
    }
    if (sealedKeyId(stored) !== this.keys[0].id) {
      await this.tenants
        .updateOne(
          { _id: new Types.ObjectId(tenantId), webhookSecret: stored },
          { $set: { webhookSecret: sealSecret(secret, this.keys[0]) } },
        )
        .exec();
    }
    return secret;
  }

  /** A new secret replaces the old one at once; it is shown this one time. */
  async rotateWebhookSecret(caller: AuthUser, ip: string): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    await this.tenants
      .updateOne(
        { _id: new Types.ObjectId(caller.tenantId) },
        { $set: { webhookSecret: sealSecret(secret, this.keys[0]) } },
      )
      .exec();
    await this.audit.record({
      action: AuditAction.WEBHOOK_SECRET_ROTATED,
      tenantId: caller.tenantId,
      actorId: caller.userId,
      ip,
    });
    return secret;
  }
}
