import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { anonymisedUserRef } from '@/common/logging/http-log-fields';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { AuditAction } from './audit-action.enum';
import { AuditEventModel } from './audit-event.model';
import { AuditEvent } from './schemas/audit-event.schema';

export interface AuditRecord {
  readonly action: AuditAction;
  readonly tenantId?: string | null;
  readonly actorId?: string | null;
  readonly targetId?: string | null;
  readonly ip?: string | null;
  readonly details?: Record<string, unknown>;
}

const MAX_PAGE = 200;

@Injectable()
export class AuditService extends TenantRepository<AuditEvent & { tenantId: Types.ObjectId }> {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    @InjectModel(AuditEvent.name) model: Model<AuditEvent & { tenantId: Types.ObjectId }>,
  ) {
    super(model);
  }

  /** Writes the event and logs it; an audit failure is logged loudly but never fails the caller. */
  async record(record: AuditRecord): Promise<void> {
    const entry = {
      action: record.action,
      tenantId: toId(record.tenantId),
      actorId: toId(record.actorId),
      targetId: toId(record.targetId),
      ip: record.ip ?? null,
      details: record.details ?? {},
    };
    // The log line follows users by reference, as request lines do; the stored event (readable by
    // the tenant's admins) keeps the ids and the address.
    const tenant = entry.tenantId ? entry.tenantId.toHexString() : '';
    this.logger.log({
      msg: 'audit',
      action: entry.action,
      tenantId: entry.tenantId,
      actor: entry.actorId && anonymisedUserRef(tenant, entry.actorId.toHexString()),
      target: entry.targetId && anonymisedUserRef(tenant, entry.targetId.toHexString()),
      details: entry.details,
    });
    try {
      // tenantId may be null here (unknown email at login): the one unscoped write of the log.
      await this.model.create(entry as never);
    } catch (error) {
      this.logger.error({
        msg: 'could not write audit event',
        action: record.action,
        error: String(error),
      });
    }
  }

  async list(
    tenantId: string,
    { limit, action }: { limit: number; action?: AuditAction },
  ): Promise<AuditEventModel[]> {
    const events = await this.find(tenantId, action ? { action } : {}, {
      sort: { createdAt: -1, _id: -1 },
      limit: Math.min(limit, MAX_PAGE),
    });
    return events.map((event) => ({
      id: event._id.toHexString(),
      action: event.action,
      actorId: event.actorId?.toHexString() ?? null,
      targetId: event.targetId?.toHexString() ?? null,
      ip: event.ip,
      details: event.details ?? {},
      createdAt: event.createdAt,
    }));
  }
}

function toId(id: string | null | undefined): Types.ObjectId | null {
  return id && Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : null;
}
