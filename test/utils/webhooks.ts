import { getConnectionToken } from '@nestjs/mongoose';
import Redis from 'ioredis';
import { Connection, Types } from 'mongoose';

import { verifyWebhookSignature } from '@/webhooks/webhook-signing.util';

import { bearer, Session } from './auth';
import { gql, GraphqlResponse } from './graphql-client';
import type { TestApp } from './test-app';
import type { ReceivedDelivery } from './webhook-receiver';

export const WEBHOOK_FIELDS =
  'id url description events minScore tiers status pausedReason secretRotatedAt previousSecretExpiresAt delivered failedAttempts deadLettered consecutiveDeadLetters lastSuccessAt lastFailureAt lastStatusCode';

export const DELIVERY_FIELDS =
  'id webhookId eventId eventType status attempts redeliveries lastStatusCode lastError lastDurationMs responseSnippet createdAt lastAttemptAt nextAttemptAt deliveredAt deadAt payload history { at statusCode error durationMs }';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  minScore: number | null;
  tiers: string[] | null;
  status: string;
  pausedReason: string | null;
  previousSecretExpiresAt: string | null;
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  consecutiveDeadLetters: number;
  lastStatusCode: number | null;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  redeliveries: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
  payload: string;
  history: { statusCode: number | null; error: string | null; durationMs: number }[];
}

export interface WebhookSpec {
  url: string;
  events: string[];
  minScore?: number | null;
  tiers?: string[] | null;
  description?: string;
}

export function createWebhook(
  url: string,
  session: Session,
  input: WebhookSpec,
): Promise<GraphqlResponse<{ createWebhook: { webhook: WebhookView; secret: string } }>> {
  return gql(
    url,
    `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { ${WEBHOOK_FIELDS} } } }`,
    { variables: { input }, headers: bearer(session) },
  );
}

/** Creates a webhook and fails the test if it is refused: the webhook and its secret. */
export async function createdWebhook(
  url: string,
  session: Session,
  input: WebhookSpec,
): Promise<{ webhook: WebhookView; secret: string }> {
  const response = await createWebhook(url, session, input);
  if (!response.data) throw new Error(`createWebhook refused: ${JSON.stringify(response.errors)}`);
  return response.data.createWebhook;
}

export function webhookDeliveries(
  url: string,
  session: Session,
  variables: { webhookId: string; status?: string; limit?: number },
): Promise<GraphqlResponse<{ webhookDeliveries: DeliveryView[] }>> {
  return gql(
    url,
    `query($webhookId: ID!, $status: WebhookDeliveryStatus, $limit: Int) { webhookDeliveries(webhookId: $webhookId, status: $status, limit: $limit) { ${DELIVERY_FIELDS} } }`,
    { variables, headers: bearer(session) },
  );
}

/** Polls a webhook's delivery log until `done` holds for it; the log (newest first). */
export async function waitForDeliveries(
  url: string,
  session: Session,
  webhookId: string,
  done: (deliveries: DeliveryView[]) => boolean,
  timeoutMs = 15_000,
): Promise<DeliveryView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await webhookDeliveries(url, session, { webhookId, limit: 200 });
    const deliveries = response.data?.webhookDeliveries ?? [];
    if (done(deliveries)) return deliveries;
    if (Date.now() > deadline)
      throw new Error(`deliveries not as expected: ${JSON.stringify(response)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function webhookState(
  url: string,
  session: Session,
  id: string,
): Promise<WebhookView> {
  const response = await gql<{ webhook: WebhookView }>(
    url,
    `query($id: ID!) { webhook(id: $id) { ${WEBHOOK_FIELDS} } }`,
    { variables: { id }, headers: bearer(session) },
  );
  if (!response.data) throw new Error(`webhook query failed: ${JSON.stringify(response.errors)}`);
  return response.data.webhook;
}

/** Retries in milliseconds rather than hours, so a test drives a whole retry window. */
export const FAST_RETRY_ENV = {
  WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_BASE_DELAY_MS: '100',
  WEBHOOK_RETRY_MAX_DELAY_MS: '400',
  WEBHOOK_RETRY_WINDOW_MS: '1500',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_AUTO_PAUSE_AFTER_DEAD: '3',
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the receiver's code does with a delivery and the secret it was given. */
export function verified(delivery: ReceivedDelivery, secret: string): boolean {
  return verifyWebhookSignature({
    secret,
    signature: delivery.headers['x-webhook-signature'] as string,
    timestamp: delivery.headers['x-webhook-timestamp'] as string,
    body: delivery.body,
  });
}

/** How many processes listen on an event topic (one subscriber connection each). */
export async function listenerCount(app: TestApp, topic: string): Promise<number> {
  const redis = new Redis(app.config.redis.url);
  try {
    const channel = `${app.config.redis.prefix}:events:${topic}`;
    const [, listening] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    return Number(listening);
  } finally {
    redis.disconnect();
  }
}

/** Until `count` processes listen on the event topic. */
export async function waitForListeners(app: TestApp, topic: string, count = 1): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await listenerCount(app, topic)) < count) {
    if (Date.now() > deadline) throw new Error(`${count} listeners expected on ${topic}`);
    await sleep(20);
  }
}

/** A mutation of one webhook by id (pause, resume): the webhook after it. */
export function webhookAction(
  url: string,
  session: Session,
  name: 'pauseWebhook' | 'resumeWebhook',
  id: string,
): Promise<GraphqlResponse<Record<string, WebhookView>>> {
  return gql(url, `mutation($id: ID!) { ${name}(id: $id) { ${WEBHOOK_FIELDS} } }`, {
    variables: { id },
    headers: bearer(session),
  });
}

/** Points a webhook somewhere createWebhook would refuse (a URL accepted under older rules). */
export async function storeWebhookUrl(app: TestApp, id: string, target: string): Promise<void> {
  const connection = app.app.get<Connection>(getConnectionToken());
  await connection
    .collection('webhookSubscriptions')
    .updateOne({ _id: new Types.ObjectId(id) }, { $set: { url: target } });
}
