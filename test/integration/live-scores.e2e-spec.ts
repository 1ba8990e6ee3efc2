import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { SubscriptionProbe } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import {
  EventBusChannel,
  eventBusChannel,
  eventsBeforeSentinel,
  publishUntilReceived,
} from '@test/utils/pubsub';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

import {
  LEAD_SCORE_CHANGED_TOPIC,
  LeadScoreChangedBatch,
  LeadScoreChangedEvent,
} from '@/scoring/lead-score.types';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

interface Change {
  leadScoreChanged: {
    id: string;
    leadId: string;
    ownerId: string | null;
    score: number;
    previousScore: number | null;
    tier: string;
    reason: string;
  };
}

const FIELDS = 'id leadId ownerId score previousScore tier reason configVersion at';
const WARM_UP = 'warm-up-';
const SENTINEL = 'sentinel-';

/**
 * leadScoreChanged is filtered by tenant, then role (reps: own leads), then arguments. Events are
 * published by a second app instance (role worker + api share nothing but Redis).
 *
 * No fixed waits: events are published only once Redis counts the subscribing process on the
 * channel (PUBSUB NUMSUB) and every socket has received a warm-up event; and a subscriber's list is
 * checked only once a sentinel, published after every event under test, has reached it: events
 * reach a socket in the order Redis delivered them, so a wrongly delivered event would be there.
 * Warm-up and sentinel events are published on the channel by the test itself, as another process
 * would, and left out of the lists checked.
 */
describe('leadScoreChanged subscription', () => {
  const namespace = newTestNamespace();
  let publisherApp: TestApp;
  let subscriberApp: TestApp;
  let channel: EventBusChannel;
  let adminA: Session;
  let managerA: Session;
  let repA1: Session;
  let repA2: Session;
  let adminB: Session;
  const probes: SubscriptionProbe<Change>[] = [];

  beforeAll(async () => {
    publisherApp = await startTestApp({ namespace });
    subscriberApp = await startTestApp({ namespace, role: 'api' });
    channel = new EventBusChannel(
      subscriberApp.config.redis.url,
      eventBusChannel(namespace.redisPrefix, LEAD_SCORE_CHANGED_TOPIC),
    );
    adminA = await registerTenant(publisherApp.url, { tenantName: 'Tenant A' });
    managerA = await createUserSession(publisherApp.url, adminA, 'MANAGER');
    repA1 = await createUserSession(publisherApp.url, adminA, 'REP');
    repA2 = await createUserSession(publisherApp.url, adminA, 'REP');
    adminB = await registerTenant(publisherApp.url, { tenantName: 'Tenant B' });
    await upsertLeads(publisherApp.url, adminA, [
      makeLead({ leadId: 'L1', ownerId: repA1.userId }),
      makeLead({ leadId: 'L2', ownerId: repA2.userId }),
    ]);
    await upsertLeads(publisherApp.url, adminB, [makeLead({ leadId: 'B1' })]);
  });

  afterAll(async () => {
    await Promise.all(probes.map((probe) => probe.close()));
    await channel?.close();
    await Promise.all([publisherApp?.close(), subscriberApp?.close()]);
    await dropTestDatabase(namespace);
  });

  function subscribe(session: Session, args = ''): SubscriptionProbe<Change> {
    const probe = new SubscriptionProbe<Change>(
      subscriberApp.wsUrl,
      `subscription { leadScoreChanged${args} { ${FIELDS} } }`,
      bearer(session),
    );
    probes.push(probe);
    return probe;
  }

  /** A score-100 event of the given tenant and owner, as the scoring service publishes them. */
  function syntheticEvent(
    leadId: string,
    tenant: Session,
    ownerId: string | null,
  ): LeadScoreChangedEvent {
    return {
      tenantId: tenant.tenantId,
      leadRef: `${leadId}-ref`,
      leadId,
      ownerId,
      score: 100,
      previousScore: 0,
      tier: PriorityTier.HOT,
      reason: ScoreChangeReason.INTERACTION,
      configVersion: 1,
      at: new Date().toISOString(),
    };
  }

  /** One message holding an event for each audience: tenant A rep 1, tenant A rep 2, tenant B. */
  function syntheticBatch(prefix: string): LeadScoreChangedBatch {
    return {
      events: [
        syntheticEvent(`${prefix}A1`, adminA, repA1.userId),
        syntheticEvent(`${prefix}A2`, adminA, repA2.userId),
        syntheticEvent(`${prefix}B`, adminB, null),
      ],
    };
  }

  const leadIdOf = (event: Change) => event.leadScoreChanged.leadId;
  const isSynthetic = (event: Change) =>
    leadIdOf(event).startsWith(WARM_UP) || leadIdOf(event).startsWith(SENTINEL);
  const isLead = (leadId: string) => (event: Change) => leadIdOf(event) === leadId;

  it('delivers each change to exactly the subscribers allowed to see it', async () => {
    // Each probe with the synthetic lead it must receive (its audience in syntheticBatch).
    const all = { probe: subscribe(adminA), own: 'A1' };
    const rep1 = { probe: subscribe(repA1), own: 'A1' };
    const rep2 = { probe: subscribe(repA2), own: 'A2' };
    const hotOnly = { probe: subscribe(managerA, '(minScore: 30)'), own: 'A1' };
    const ofRep2 = { probe: subscribe(adminA, `(ownerId: "${repA2.userId}")`), own: 'A2' };
    const otherTenant = { probe: subscribe(adminB), own: 'B' };
    const subscribers = [all, rep1, rep2, hotOnly, ofRep2, otherTenant];

    // Only the subscriber app subscribes to the topic: its one Redis connection on the channel.
    await channel.waitForSubscribers(1);
    // That connection is shared by all its sockets: each socket's subscription is attached once it
    // has received an event, so warm-up events are published until every probe has one.
    await publishUntilReceived(
      () => channel.publish(syntheticBatch(WARM_UP)),
      () => subscribers.every(({ probe, own }) => probe.events.some(isLead(`${WARM_UP}${own}`))),
    );

    await recordInteractions(publisherApp.url, adminA, [makeInteraction({ leadId: 'L1' })]);
    await recordInteractions(
      publisherApp.url,
      adminA,
      Array.from({ length: 10 }, () => makeInteraction({ leadId: 'L2' })),
    );
    await recordInteractions(publisherApp.url, adminA, [
      makeInteraction({ leadId: 'L1', type: 'WEBSITE_VISIT', secondsSpent: 60 }),
    ]);
    await recordInteractions(publisherApp.url, adminB, [makeInteraction({ leadId: 'B1' })]);

    // Every event under test has been published (and delivered) once the tenant's admin has its
    // three and tenant B's admin its one: only then the sentinels, after all of them.
    await all.probe.waitFor((e) => isLead('L1')(e) && e.leadScoreChanged.previousScore !== 0);
    await otherTenant.probe.waitFor(isLead('B1'));
    await channel.publish(syntheticBatch(SENTINEL));

    const received = async ({ probe, own }: (typeof subscribers)[number]) =>
      (await eventsBeforeSentinel(probe, isLead(`${SENTINEL}${own}`)))
        .filter((event) => !isSynthetic(event))
        .map(leadIdOf);
    expect(await received(all)).toEqual(['L1', 'L2', 'L1']);
    expect(await received(rep1)).toEqual(['L1', 'L1']);
    expect(await received(rep2)).toEqual(['L2']);
    expect(await received(hotOnly)).toEqual(['L2']);
    expect(await received(ofRep2)).toEqual(['L2']);
    expect(await received(otherTenant)).toEqual(['B1']);
    for (const { probe } of subscribers) expect(probe.errors).toEqual([]);

    const real = all.probe.events.filter((event) => !isSynthetic(event));
    expect(real[1].leadScoreChanged).toMatchObject({
      score: 40,
      previousScore: 0,
      tier: 'WARM',
      reason: 'INTERACTION',
      ownerId: repA2.userId,
    });
    const l1Second = rep1.probe.events.find(
      (e) => isLead('L1')(e) && e.leadScoreChanged.previousScore !== 0,
    );
    expect(l1Second?.leadScoreChanged.score).toBeGreaterThan(4);
  });
});
