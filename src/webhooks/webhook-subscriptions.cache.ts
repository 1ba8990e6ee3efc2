import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { EventBus } from '@/common/redis/event-bus.service';

import { WEBHOOKS_CHANGED_TOPIC, WebhooksChangedEvent } from './jobs/webhooks-queue.constants';
import { WebhookStatus, WebhookSubscription } from './schemas/webhook-subscription.schema';
import type { WebhookFilter } from './webhook-events.util';

/** What the listener needs of an active webhook (no URL, no secret: the processor reads those). */
export interface ActiveWebhook extends WebhookFilter {
  readonly id: string;
  readonly tenantId: string;
}

/** A full reload heals anything a missed change message left stale. */
export const FULL_RELOAD_MS = 60_000;

const PROJECTION = { _id: 1, tenantId: 1, events: 1, minScore: 1, tiers: 1 } as const;

/**
 * Every tenant's active webhooks, held by each listening process: a score event of a tenant
 * without webhooks costs one Map lookup. Loaded whole at start and every minute (one small read
 * across tenants), and one tenant again whenever its webhooks change (WEBHOOKS_CHANGED_TOPIC,
 * published by whichever process changed them).
 */
@Injectable()
export class WebhookSubscriptionsCache implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookSubscriptionsCache.name);
  private byTenant = new Map<string, readonly ActiveWebhook[]>();
  private loading?: Promise<void>;
  /** Tenants changed while a full reload ran: read again after it. */
  private changedMeanwhile?: Set<string>;
  private timer?: NodeJS.Timeout;
  private changes?: AsyncIterableIterator<WebhooksChangedEvent>;
  private readonly watchers: (() => void)[] = [];

  constructor(
    @InjectModel(WebhookSubscription.name) private readonly model: Model<WebhookSubscription>,
    private readonly bus: EventBus,
  ) {}

  /** Starts following changes and loads everything; resolves once the first load is done. */
  start(): Promise<void> {
    const changes = this.bus.iterator<WebhooksChangedEvent>(WEBHOOKS_CHANGED_TOPIC);
    this.changes = changes;
    void (async () => {
      for await (const { tenantId } of changes) await this.reloadTenant(tenantId);
    })().catch((error: unknown) =>
      this.logger.error({ msg: 'webhook changes no longer heard', error: String(error) }),
    );
    this.timer = setInterval(() => void this.reloadAll(), FULL_RELOAD_MS);
    this.timer.unref();
    return this.reloadAll();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    void this.changes?.return?.();
  }

  /** Calls `watcher` after every reload (whole or of a tenant). */
  onReload(watcher: () => void): void {
    this.watchers.push(watcher);
  }

  /** Whether any tenant has an active webhook. */
  hasAny(): boolean {
    return this.byTenant.size > 0;
  }

  /** The tenant's active webhooks (none: an empty list, no I/O). */
  active(tenantId: string): readonly ActiveWebhook[] {
    return this.byTenant.get(tenantId) ?? [];
  }

  reloadAll(): Promise<void> {
    this.loading ??= (async () => {
      this.changedMeanwhile = new Set();
      try {
        const docs = await this.model
          .find({ status: WebhookStatus.ACTIVE }, PROJECTION)
          .lean<WebhookSubscription[]>()
          .exec();
        const next = new Map<string, ActiveWebhook[]>();
        for (const doc of docs) {
          const webhook = toActive(doc);
          next.set(webhook.tenantId, [...(next.get(webhook.tenantId) ?? []), webhook]);
        }
        this.byTenant = next;
        this.reloaded();
      } catch (error) {
        this.logger.warn({ msg: 'active webhooks not reloaded', error: String(error) });
      } finally {
        const changed = this.changedMeanwhile;
        this.changedMeanwhile = undefined;
        this.loading = undefined;
        for (const tenantId of changed) await this.reloadTenant(tenantId);
      }
    })();
    return this.loading;
  }

  async reloadTenant(tenantId: string): Promise<void> {
    this.changedMeanwhile?.add(tenantId);
    if (!Types.ObjectId.isValid(tenantId)) return;
    try {
      const docs = await this.model
        .find({ tenantId: new Types.ObjectId(tenantId), status: WebhookStatus.ACTIVE }, PROJECTION)
        .lean<WebhookSubscription[]>()
        .exec();
      if (docs.length === 0) this.byTenant.delete(tenantId);
      else this.byTenant.set(tenantId, docs.map(toActive));
      this.reloaded();
    } catch (error) {
      this.logger.warn({
        msg: 'webhooks of a tenant not reloaded',
        tenantId,
        error: String(error),
      });
    }
  }

  private reloaded(): void {
    for (const watcher of this.watchers) watcher();
  }
}

function toActive(doc: WebhookSubscription): ActiveWebhook {
  return {
    id: doc._id.toHexString(),
    tenantId: doc.tenantId.toHexString(),
    events: doc.events,
    minScore: doc.minScore,
    tiers: doc.tiers,
  };
}
