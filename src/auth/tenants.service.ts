import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';

import { AuthUser } from './auth-user';
import { Tenant } from './schemas/tenant.schema';

/** Tenant-level settings: for now the webhook signing secret. */
@Injectable()
export class TenantsService {
  constructor(
    @InjectModel(Tenant.name) private readonly tenants: Model<Tenant>,
    private readonly audit: AuditService,
  ) {}

  async webhookSecretOf(tenantId: string): Promise<string | null> {
    if (!Types.ObjectId.isValid(tenantId)) return null;
    const tenant = await this.tenants
      .findById(tenantId, { webhookSecret: 1 })
      .lean<Tenant>()
      .exec();
    return tenant?.webhookSecret ?? null;
  }

  /** A new secret replaces the old one at once; it is shown this one time. */
  async rotateWebhookSecret(caller: AuthUser, ip: string): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    await this.tenants
      .updateOne({ _id: new Types.ObjectId(caller.tenantId) }, { $set: { webhookSecret: secret } })
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
