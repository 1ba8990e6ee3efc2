import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { AuthRequest, clientIp } from '@/auth/request-of.util';
import { Role } from '@/auth/role.enum';

import {
  CreateWebhookInput,
  RotateWebhookSecretArgs,
  UpdateWebhookArgs,
  WebhookDeliveriesArgs,
  WebhookDeliveryIdArgs,
  WebhookIdArgs,
} from './dto/webhook.inputs';
import {
  WebhookDeliveryModel,
  WebhookModel,
  WebhookWithSecretModel,
} from './models/webhook.models';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { toDeliveryModel, toWebhookModel } from './webhook.mapper';
import { WebhookRedelivery } from './webhook-redelivery.service';
import { WebhooksService } from './webhooks.service';

interface GqlContext {
  req?: AuthRequest;
}

/** Outbound webhooks of the caller's tenant: admins only. */
@Roles(Role.ADMIN)
@Resolver()
export class WebhooksResolver {
  constructor(
    private readonly service: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly redelivery: WebhookRedelivery,
  ) {}

  @Query(() => [WebhookModel], { description: "Your tenant's outbound webhooks, oldest first." })
  async webhooks(@CurrentUser() user: AuthUser): Promise<WebhookModel[]> {
    return (await this.service.list(user.tenantId)).map(toWebhookModel);
  }

  @Query(() => WebhookModel)
  async webhook(@CurrentUser() user: AuthUser, @Args() args: WebhookIdArgs): Promise<WebhookModel> {
    return toWebhookModel(await this.service.get(user.tenantId, args.id));
  }

  @Query(() => [WebhookDeliveryModel], {
    description: "A webhook's delivery log, newest first (kept WEBHOOK_DELIVERY_RETENTION_DAYS).",
  })
  async webhookDeliveries(
    @CurrentUser() user: AuthUser,
    @Args() args: WebhookDeliveriesArgs,
  ): Promise<WebhookDeliveryModel[]> {
    await this.service.get(user.tenantId, args.webhookId);
    const found = await this.deliveries.list(user.tenantId, args);
    return found.map(toDeliveryModel);
  }

  @Mutation(() => WebhookWithSecretModel, {
    description: 'Subscribes a URL to events. The signing secret is in the answer, and only there.',
  })
  async createWebhook(
    @CurrentUser() user: AuthUser,
    @Args('input') input: CreateWebhookInput,
    @Context() ctx: GqlContext,
  ): Promise<WebhookWithSecretModel> {
    const { webhook, secret } = await this.service.createWebhook(user, input, clientIp(ctx.req));
    return { webhook: toWebhookModel(webhook), secret };
  }

  @Mutation(() => WebhookModel, {
    description: 'Changes the URL, events or filters; absent fields stay, null clears a filter.',
  })
  async updateWebhook(
    @CurrentUser() user: AuthUser,
    @Args() args: UpdateWebhookArgs,
    @Context() ctx: GqlContext,
  ): Promise<WebhookModel> {
    return toWebhookModel(
      await this.service.updateWebhook(user, args.id, args.input, clientIp(ctx.req)),
    );
  }

  @Mutation(() => WebhookModel, {
    description:
      'Stops sending: events meanwhile are not queued, deliveries already queued are SKIPPED.',
  })
  async pauseWebhook(
    @CurrentUser() user: AuthUser,
    @Args() args: WebhookIdArgs,
    @Context() ctx: GqlContext,
  ): Promise<WebhookModel> {
    return toWebhookModel(await this.service.pause(user, args.id, clientIp(ctx.req)));
  }

  @Mutation(() => WebhookModel, { description: 'Sends again (also after an automatic pause).' })
  async resumeWebhook(
    @CurrentUser() user: AuthUser,
    @Args() args: WebhookIdArgs,
    @Context() ctx: GqlContext,
  ): Promise<WebhookModel> {
    return toWebhookModel(await this.service.resume(user, args.id, clientIp(ctx.req)));
  }

  @Mutation(() => Boolean, { description: 'Deletes the webhook and its delivery log.' })
  async deleteWebhook(
    @CurrentUser() user: AuthUser,
    @Args() args: WebhookIdArgs,
    @Context() ctx: GqlContext,
  ): Promise<true> {
    await this.service.remove(user, args.id, clientIp(ctx.req));
    return true;
  }

  @Mutation(() => WebhookWithSecretModel, {
    description:
      "A new signing secret for an outbound webhook, shown only now. During the grace period deliveries carry both signatures (new first), so the receiver can switch without losing any. (`rotateWebhookSecret` is the inbound endpoint's secret.)",
  })
  async rotateOutboundWebhookSecret(
    @CurrentUser() user: AuthUser,
    @Args() args: RotateWebhookSecretArgs,
    @Context() ctx: GqlContext,
  ): Promise<WebhookWithSecretModel> {
    const { webhook, secret } = await this.service.rotateSecret(
      user,
      args.id,
      args.gracePeriodHours,
      clientIp(ctx.req),
    );
    return { webhook: toWebhookModel(webhook), secret };
  }

  @Mutation(() => WebhookDeliveryModel, {
    description:
      'Queues a DEAD or SKIPPED delivery again: the same event and body (same id), a new retry window. CONFLICT while the webhook is paused.',
  })
  async redeliverWebhookDelivery(
    @CurrentUser() user: AuthUser,
    @Args() args: WebhookDeliveryIdArgs,
  ): Promise<WebhookDeliveryModel> {
    return toDeliveryModel(await this.redelivery.redeliver(user.tenantId, args.id));
  }
}
