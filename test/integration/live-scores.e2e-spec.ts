import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { SubscriptionProbe, waitForRedisSubscriber } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

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

/**
 * leadScoreChanged is filtered by tenant, then role (reps: own leads), then arguments. Events are
 * published by a second app instance (role worker + api share nothing but Redis), and negative
 * checks are made only after a later event the same subscriber does see has arrived.
 */
describe('leadScoreChanged subscription', () => {
  const namespace = newTestNamespace();
  let publisherApp: TestApp;
  let subscriberApp: TestApp;
  let adminA: Session;
  let managerA: Session;
  let repA1: Session;
  let repA2: Session;
  let adminB: Session;
  const probes: SubscriptionProbe<Change>[] = [];

  beforeAll(async () => {
    publisherApp = await startTestApp({ namespace });
    subscriberApp = await startTestApp({ namespace, role: 'api' });
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

  it('delivers each change to exactly the subscribers allowed to see it', async () => {
    const all = subscribe(adminA);
    const rep1 = subscribe(repA1);
    const rep2 = subscribe(repA2);
    const hotOnly = subscribe(managerA, '(minScore: 30)');
    const ofRep2 = subscribe(adminA, `(ownerId: "${repA2.userId}")`);
    const otherTenant = subscribe(adminB);
    await waitForRedisSubscriber(
      subscriberApp.config.redis.url,
      `${namespace.redisPrefix}:events:scoring.leadScoreChanged`,
    );
    // Every socket has subscribed once the server has answered a first event to each: give the
    // in-process iterators a moment to attach behind the one Redis subscription.
    await new Promise((resolve) => setTimeout(resolve, 300));

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

    const isLead = (leadId: string) => (event: Change) => event.leadScoreChanged.leadId === leadId;
    await all.waitFor(isLead('L2'));
    const l1Second = await rep1.waitFor(
      (e) => isLead('L1')(e) && e.leadScoreChanged.previousScore !== 0,
    );
    await rep2.waitFor(isLead('L2'));
    await hotOnly.waitFor(isLead('L2'));
    await ofRep2.waitFor(isLead('L2'));
    await otherTenant.waitFor(isLead('B1'));
    await all.waitFor((e) => isLead('L1')(e) && e.leadScoreChanged.previousScore !== 0);

    const leadsOf = (probe: SubscriptionProbe<Change>) =>
      probe.events.map((e) => e.leadScoreChanged.leadId);
    expect(leadsOf(all)).toEqual(['L1', 'L2', 'L1']);
    expect(leadsOf(rep1)).toEqual(['L1', 'L1']);
    expect(leadsOf(rep2)).toEqual(['L2']);
    expect(leadsOf(hotOnly)).toEqual(['L2']);
    expect(leadsOf(ofRep2)).toEqual(['L2']);
    expect(leadsOf(otherTenant)).toEqual(['B1']);
    expect(all.events[1].leadScoreChanged).toMatchObject({
      score: 40,
      previousScore: 0,
      tier: 'WARM',
      reason: 'INTERACTION',
      ownerId: repA2.userId,
    });
    expect(l1Second.leadScoreChanged.score).toBeGreaterThan(4);
  });
});
