import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';
import type { AuthUser } from '@/auth/auth-user';
import { openSecret, sealedKeyId, sealSecret } from '@/common/crypto/secret-box.util';
import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { CreateWebhookInput, UpdateWebhookInput } from './dto/webhook.inputs';
import { WEBHOOKS_CHANGED_TOPIC, WebhooksChangedEvent } from './jobs/webhooks-queue.constants';
import {
  WebhookPauseReason,
  WebhookStatus,
  WebhookSubscription,
} from './schemas/webhook-subscription.schema';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookSubscriptionsCache } from './webhook-subscriptions.cache';
import { WebhookTargets } from './webhook-targets.service';
import { WebhooksException } from './webhooks.exception';

const CHANGE_MESSAGE: Partial<Record<AuditAction, string>> = {
  [AuditAction.WEBHOOK_UPDATED]: 'webhook updated',
  [AuditAction.WEBHOOK_PAUSED]: 'webhook paused',
  [AuditAction.WEBHOOK_RESUMED]: 'webhook resumed',
};

/** Webhooks one tenant may have (as Stripe caps endpoints per account). */
export const MAX_WEBHOOKS_PER_TENANT = 20;

/**
 * A tenant's outbound webhooks: what admins create, change, pause and delete, their signing
 * secrets (sealed at rest; rotated with a grace period during which both sign), and the counters
 * their deliveries keep. Every change is announced so each process's cache reloads the tenant.
 */
@Injectable()
export class WebhooksService extends TenantRepository<WebhookSubscription> {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly keys: ConnectedAppConfig['secretKeys']['keys'];

  constructor(
    @InjectModel(WebhookSubscription.name) model: Model<WebhookSubscription>,
    private readonly targets: WebhookTargets,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
    /** Present on worker processes: their own cache sees a change before the call answers. */
    @Optional() private readonly cache?: WebhookSubscriptionsCache,
  ) {
    super(model);
    this.keys = config.secretKeys.keys;
  }

  list(tenantId: string): Promise<WebhookSubscription[]> {
    return this.find(tenantId, {}, { sort: { createdAt: 1, _id: 1 } });
  }

  async get(tenantId: string, id: string): Promise<WebhookSubscription> {
    const found = await this.findById(tenantId, id);
    if (!found) throw WebhooksException.notFound();
    return found;
  }

  async createWebhook(
    caller: AuthUser,
    input: CreateWebhookInput,
    ip: string,
  ): Promise<{ webhook: WebhookSubscription; secret: string }> {
    const url = await this.targets.check('url', input.url);
    if ((await this.count(caller.tenantId)) >= MAX_WEBHOOKS_PER_TENANT)
      throw WebhooksException.tooMany(MAX_WEBHOOKS_PER_TENANT);
    const secret = newSecret();
    const webhook = await this.create(caller.tenantId, {
      url,
      description: input.description ?? null,
      events: [...input.events],
      minScore: input.minScore ?? null,
      tiers: input.tiers ? [...input.tiers] : null,
      status: WebhookStatus.ACTIVE,
      pausedReason: null,
      secret: sealSecret(secret, this.keys[0]),
      previousSecret: null,
      previousSecretExpiresAt: null,
      secretRotatedAt: new Date(),
      createdBy: new Types.ObjectId(caller.userId),
    });
    this.logger.log({
      msg: 'webhook created',
      tenantId: caller.tenantId,
      webhookId: webhook._id.toHexString(),
      events: webhook.events,
    });
    await this.audited(caller, AuditAction.WEBHOOK_CREATED, ip, {
      webhookId: webhook._id.toHexString(),
      host: new URL(url).host,
      events: webhook.events,
    });
    await this.announce(caller.tenantId);
    return { webhook, secret };
  }

  async updateWebhook(
    caller: AuthUser,
    id: string,
    input: UpdateWebhookInput,
    ip: string,
  ): Promise<WebhookSubscription> {
    await this.get(caller.tenantId, id);
    const set: Partial<WebhookSubscription> = {};
    if (input.url !== undefined) set.url = await this.targets.check('input.url', input.url);
    if (input.events) set.events = [...input.events];
    if (input.minScore !== undefined) set.minScore = input.minScore ?? null;
    if (input.tiers !== undefined) set.tiers = input.tiers ? [...input.tiers] : null;
    if (input.description !== undefined) set.description = input.description ?? null;
    return this.change(caller, id, set, AuditAction.WEBHOOK_UPDATED, ip, {
      changed: Object.keys(set).sort(),
    });
  }

  pause(caller: AuthUser, id: string, ip: string): Promise<WebhookSubscription> {
    return this.change(
      caller,
      id,
      { status: WebhookStatus.PAUSED, pausedReason: WebhookPauseReason.MANUAL },
      AuditAction.WEBHOOK_PAUSED,
      ip,
    );
  }

  /** Also forgets the dead letters in a row (an auto-paused webhook starts counting again). */
  resume(caller: AuthUser, id: string, ip: string): Promise<WebhookSubscription> {
    return this.change(
      caller,
      id,
      { status: WebhookStatus.ACTIVE, pausedReason: null, consecutiveDeadLetters: 0 },
      AuditAction.WEBHOOK_RESUMED,
      ip,
    );
  }

  async remove(caller: AuthUser, id: string, ip: string): Promise<void> {
    const filter = this.byId(caller.tenantId, id);
    const result = filter ? await this.model.deleteOne(filter).exec() : { deletedCount: 0 };
    if (result.deletedCount === 0) throw WebhooksException.notFound();
    // Its queued jobs find no webhook and end; its log goes with it.
    await this.deliveries.removeOfWebhook(caller.tenantId, id);
    this.logger.log({ msg: 'webhook deleted', tenantId: caller.tenantId, webhookId: id });
    await this.audited(caller, AuditAction.WEBHOOK_DELETED, ip, { webhookId: id });
    await this.announce(caller.tenantId);
  }

  /**
   * A new secret, shown once. For `graceHours` the old one keeps signing beside it (both
   * signatures in the header, as Stripe does when rolling a secret), so a receiver can switch
   * without missing deliveries; 0 drops it at once. Only the secret just replaced is kept.
   */
  async rotateSecret(
    caller: AuthUser,
    id: string,
    graceHours: number,
    ip: string,
  ): Promise<{ webhook: WebhookSubscription; secret: string }> {
    const current = await this.get(caller.tenantId, id);
    const secret = newSecret();
    const now = new Date();
    const webhook = await this.updateById(caller.tenantId, id, {
      $set: {
        secret: sealSecret(secret, this.keys[0]),
        previousSecret: graceHours > 0 ? current.secret : null,
        previousSecretExpiresAt:
          graceHours > 0 ? new Date(now.getTime() + graceHours * 3_600_000) : null,
        secretRotatedAt: now,
      },
    });
    if (!webhook) throw WebhooksException.notFound();
    await this.audited(caller, AuditAction.WEBHOOK_SECRET_ROTATED, ip, {
      direction: 'OUTBOUND',
      webhookId: id,
      graceHours,
    });
    return { webhook, secret };
  }

  /**
   * The secrets that sign a delivery now: the current one, and the previous one during its grace
   * period. A secret sealed under a key that is no longer the first is sealed anew (key rotation).
   */
  async signingSecrets(webhook: WebhookSubscription, now: Date): Promise<string[]> {
    const secrets = [await this.open(webhook, 'secret')];
    if (webhook.previousSecret && (webhook.previousSecretExpiresAt ?? now) > now)
      secrets.push(await this.open(webhook, 'previousSecret'));
    return secrets;
  }

  async recordSuccess(tenantId: string, id: string, statusCode: number, at: Date): Promise<void> {
    await this.updateById(tenantId, id, {
      $inc: { delivered: 1 },
      $set: { lastSuccessAt: at, lastStatusCode: statusCode, consecutiveDeadLetters: 0 },
    });
  }

  async recordFailedAttempt(
    tenantId: string,
    id: string,
    statusCode: number | null,
    at: Date,
  ): Promise<void> {
    await this.updateById(tenantId, id, {
      $inc: { failedAttempts: 1 },
      $set: { lastFailureAt: at, lastStatusCode: statusCode },
    });
  }

  /** Counts a dead letter; pauses the webhook after WEBHOOK_AUTO_PAUSE_AFTER_DEAD in a row. */
  async recordDeadLetter(tenantId: string, id: string): Promise<void> {
    const after = await this.updateById(tenantId, id, {
      $inc: { deadLettered: 1, consecutiveDeadLetters: 1 },
    });
    const limit = this.config.webhooks.autoPauseAfterDeadLetters;
    if (!after || limit === 0 || after.consecutiveDeadLetters < limit) return;
    if (after.status !== WebhookStatus.ACTIVE) return;
    await this.updateById(tenantId, id, {
      $set: { status: WebhookStatus.PAUSED, pausedReason: WebhookPauseReason.FAILING },
    });
    this.logger.warn({
      msg: 'webhook paused: its deliveries keep failing',
      tenantId,
      webhookId: id,
      consecutiveDeadLetters: after.consecutiveDeadLetters,
    });
    await this.announce(tenantId);
  }

  private async change(
    caller: AuthUser,
    id: string,
    set: Partial<WebhookSubscription>,
    action: AuditAction,
    ip: string,
    details: Record<string, unknown> = {},
  ): Promise<WebhookSubscription> {
    const webhook = await this.updateById(caller.tenantId, id, { $set: set });
    if (!webhook) throw WebhooksException.notFound();
    this.logger.log({ msg: CHANGE_MESSAGE[action], tenantId: caller.tenantId, webhookId: id });
    await this.audited(caller, action, ip, { webhookId: id, ...details });
    await this.announce(caller.tenantId);
    return webhook;
  }

  private audited(
    caller: AuthUser,
    action: AuditAction,
    ip: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action,
      tenantId: caller.tenantId,
      actorId: caller.userId,
      ip,
      details,
    });
  }

  private async open(
    webhook: WebhookSubscription,
    field: 'secret' | 'previousSecret',
  ): Promise<string> {
    const sealed = webhook[field]!;
    const secret = openSecret(sealed, this.keys);
    if (sealedKeyId(sealed) !== this.keys[0].id)
      await this.model
        .updateOne(
          { _id: webhook._id, tenantId: webhook.tenantId, [field]: sealed },
          { $set: { [field]: sealSecret(secret, this.keys[0]) } },
        )
        .exec();
    return secret;
  }

  /** Every process reloads the tenant's active webhooks (a missed message heals within a minute). */
  private async announce(tenantId: string): Promise<void> {
    await this.cache?.reloadTenant(tenantId);
    try {
      await this.bus.publish<WebhooksChangedEvent>(WEBHOOKS_CHANGED_TOPIC, { tenantId });
    } catch (error) {
      this.logger.warn({ msg: 'webhook change not announced', tenantId, error: String(error) });
    }
  }
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
