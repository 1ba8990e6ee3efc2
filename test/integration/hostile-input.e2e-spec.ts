import request from 'supertest';

import { signWebhook } from '@/leads/ingest/webhook-signature.util';
import { bearer, createUserSession, registerTenant, Session, uniqueEmail } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

const UPSERT =
  'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created leads { leadId } } }';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }';

/** `{ a: { a: { … } } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** What a hostile client can send today, each answered with a clear error and nothing written. */
describe('hostile input', () => {
  const sut = useTestApp({
    env: { JSON_MAX_DEPTH: '5', JSON_MAX_KEYS_PER_OBJECT: '20', JSON_MAX_BYTES: '2000' },
  });
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  async function leadCount(): Promise<number> {
    const response = await gql<{ leads: { total: number } }>(sut.url, '{ leads { total } }', {
      headers: bearer(admin),
    });
    return response.data!.leads.total;
  }

  describe('free-form JSON (attributes, metadata)', () => {
    it.each([
      [
        '1,000 levels deep',
        { deep: nested(1000) },
        /value\.deep\.a\.a\.a\.a: nested deeper than 5 levels/,
      ],
      [
        'too many keys',
        Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])),
        /more than 20 keys/,
      ],
      [
        'a key starting with $',
        { $where: 'sleep(1000)' },
        /value\.\$where: key must not start with \$/,
      ],
      ['a dotted key', { 'a.b': 1 }, /value\.a\.b: key must not contain "\."/],
      [
        '__proto__',
        JSON.parse('{"__proto__": {"isAdmin": true}}') as object,
        /key "__proto__" is not allowed/,
      ],
      [
        'a long string',
        { note: 'x'.repeat(5001) },
        /value\.note: string longer than 5000 characters/,
      ],
      ['too large', { a: 'x'.repeat(1000), b: 'y'.repeat(1000) }, /larger than 2000 bytes/],
    ])(
      'refuses attributes %s with BAD_USER_INPUT naming the path',
      async (_case, attributes, message) => {
        const before = await leadCount();

        const response = await gql(sut.url, UPSERT, {
          variables: { input: { leads: [{ leadId: 'J-1', attributes }] } },
          headers: bearer(admin),
        });

        expect(response.status).toBe(400);
        expect(response.data).toBeUndefined();
        expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0].message).toContain('"input.leads[0].attributes"');
        expect(response.errors?.[0].message).toMatch(message);
        expect(await leadCount()).toBe(before);
      },
    );

    it('accepts attributes within every bound (control)', async () => {
      const [lead] = await upsertLeads(sut.url, admin, [
        makeLead({ leadId: 'J-OK', attributes: { plan: { tier: 'gold', seats: [1, 2, 3] } } }),
      ]);
      expect(lead.leadId).toBe('J-OK');
    });

    it('refuses deep or operator-keyed metadata on a signed webhook delivery (REST) alike', async () => {
      await upsertLeads(sut.url, admin, [makeLead({ leadId: 'J-WH' })]);
      const rotated = await gql<{ rotateWebhookSecret: string }>(
        sut.url,
        'mutation { rotateWebhookSecret }',
        { headers: bearer(admin) },
      );
      const deliver = (metadata: object) => {
        const raw = JSON.stringify({
          interactions: [{ ...makeInteraction({ leadId: 'J-WH' }), metadata }],
        });
        const timestamp = Math.floor(Date.now() / 1000);
        return request(sut.url)
          .post('/ingest/interactions')
          .set('content-type', 'application/json')
          .set('x-tenant-id', admin.tenantId)
          .set('x-webhook-timestamp', String(timestamp))
          .set(
            'x-webhook-signature',
            signWebhook(rotated.data!.rotateWebhookSecret, timestamp, raw),
          )
          .send(raw);
      };

      const deep = await deliver(nested(1000));
      const operator = await deliver({ $set: { emailOpens: 1000 } });
      const prototypeKey = await deliver(JSON.parse('{"constructor": {"prototype": 1}}') as object);

      for (const response of [deep, operator, prototypeKey]) {
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('BAD_USER_INPUT');
        expect(response.body.error.fields[0].path).toMatch(/^interactions\.0\.metadata\b/);
      }
      // Refused before class-transformer copies it (recursively): deeper than any input type nests.
      expect(deep.body.error.message).toMatch(/metadata(\.a)+: nested deeper than 128 levels/);
      expect(operator.body.error.message).toMatch(/metadata\.\$set: key must not start with \$/);
      expect(prototypeKey.body.error.message).toMatch(/key "constructor" is not allowed/);
    });
  });

  describe('wrongly typed variables', () => {
    const LEADS_PAGE = 'query($limit: Int!) { leads(limit: $limit) { total } }';

    it.each([
      ['a missing required variable', LEADS_PAGE, {}, /\$limit/],
      ['a string for an Int', LEADS_PAGE, { limit: 'abc' }, /\$limit/],
      [
        'an operator object for a String',
        'query($id: ID!) { lead(id: $id) { leadId } }',
        { id: { $gt: '' } },
        /\$id/,
      ],
      [
        'an unknown enum value',
        'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted } }',
        {
          input: {
            interactions: [
              {
                leadId: 'J-OK',
                type: 'PHONE',
                occurredAt: new Date().toISOString(),
                idempotencyKey: 'k',
              },
            ],
          },
        },
        /\$input/,
      ],
      [
        'an unknown input field',
        UPSERT,
        { input: { leads: [{ leadId: 'J-2', isAdmin: true }] } },
        /\$input.*isAdmin/s,
      ],
    ])(
      'answers 400 BAD_USER_INPUT naming the variable for %s',
      async (_case, query, variables, message) => {
        const response = await gql(sut.url, query, { variables, headers: bearer(admin) });

        expect(response.status).toBe(400);
        expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0].message).toMatch(message);
      },
    );

    it('answers the same mistake written inline alike (control)', async () => {
      const response = await gql(sut.url, '{ leads(limit: "abc") { total } }', {
        headers: bearer(admin),
      });

      expect(response.status).toBe(400);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe("a rep and another rep's lead", () => {
    it('refuses interactions on a lead the rep cannot see exactly like an unknown one', async () => {
      const [repA, repB] = [
        await createUserSession(sut.url, admin, 'REP'),
        await createUserSession(sut.url, admin, 'REP'),
      ];
      await upsertLeads(sut.url, admin, [
        makeLead({ leadId: 'OWN-A', ownerId: repA.userId }),
        makeLead({ leadId: 'OWN-B', ownerId: repB.userId }),
      ]);

      const foreign = await recordInteractions(sut.url, repA, [
        makeInteraction({ leadId: 'OWN-B' }),
      ]);
      const unknown = await recordInteractions(sut.url, repA, [
        makeInteraction({ leadId: 'NO-SUCH-LEAD' }),
      ]);
      const own = await recordInteractions(sut.url, repA, [makeInteraction({ leadId: 'OWN-A' })]);

      expect(foreign.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const messageOf = (response: typeof foreign, leadId: string) =>
        response.errors?.[0].message.replace(leadId, '<lead>');
      expect(messageOf(foreign, 'OWN-B')).toBe(messageOf(unknown, 'NO-SUCH-LEAD'));
      expect(own.data?.recordInteractions.accepted).toBe(1);
      // Nothing reached rep B's lead.
      const seenByB = await gql<{
        leads: { items: { leadId: string; engagement: { emailOpens: number } }[] };
      }>(sut.url, '{ leads { items { leadId engagement { emailOpens } } } }', {
        headers: bearer(repB),
      });
      expect(seenByB.data?.leads.items).toEqual([
        { leadId: 'OWN-B', engagement: { emailOpens: 0 } },
      ]);
    });
  });

  describe('updateScoringConfig', () => {
    it('reports every bad field at once', async () => {
      const response = await gql(
        sut.url,
        `mutation($input: UpdateScoringConfigInput!) { updateScoringConfig(input: $input) { version } }`,
        {
          variables: {
            input: {
              weights: { emailOpens: 0, websiteVisits: 0, timeSpent: 0 },
              caps: { emailOpens: 0, websiteVisits: 5, timeSpent: 0 },
              halfLifeDays: -1,
              thresholds: { hot: 40, warm: 70 },
            },
          },
          headers: bearer(admin),
        },
      );

      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const fields = response.errors?.[0].extensions?.fields as {
        path: string;
        messages: string[];
      }[];
      expect(fields.map((field) => field.path).sort()).toEqual([
        'caps',
        'halfLifeDays',
        'thresholds',
        'weights',
      ]);
      expect(fields.find((field) => field.path === 'caps')?.messages).toEqual([
        'caps must be greater than 0 (emailOpens, timeSpent)',
      ]);
      const config = await gql<{ scoringConfig: { version: number } }>(
        sut.url,
        '{ scoringConfig { version } }',
        { headers: bearer(admin) },
      );
      expect(config.data?.scoringConfig.version).toBe(1);
    });
  });

  describe('CSV import with the wrong content type', () => {
    it.each([['application/json'], ['application/x-www-form-urlencoded'], ['application/xml']])(
      'answers 415 with what to send for %s',
      async (contentType) => {
        const response = await request(sut.url)
          .post(`/import/leads?mapping=${encodeURIComponent('{"leadId":"id"}')}`)
          .set(bearer(admin))
          .set('content-type', contentType)
          .send('id,name\nA-1,Ann\n');

        expect(response.status).toBe(415);
        expect(response.body.error).toMatchObject({
          code: 'BAD_USER_INPUT',
          message: expect.stringContaining('Content-Type: text/csv'),
        });
      },
    );
  });

  describe('register', () => {
    it('does not echo the email of an existing account', async () => {
      const response = await gql(sut.url, REGISTER, {
        variables: {
          input: {
            tenantName: 'Copycat',
            name: 'Eve',
            email: admin.email,
            password: 'a-long-password-1',
          },
        },
      });

      expect(response.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(response.errors?.[0].message).not.toContain(admin.email);
      expect(response.errors?.[0].message).not.toContain(admin.email.split('@')[0]);
    });
  });
});

describe('register attempts are limited per email and per client address', () => {
  const sut = useTestApp({ env: { REGISTER_MAX_PER_EMAIL: '2', REGISTER_MAX_PER_IP: '4' } });

  const attempt = (email: string) =>
    gql(sut.url, REGISTER, {
      variables: {
        input: { tenantName: 'Probe', name: 'Eve', email, password: 'a-long-password-1' },
      },
    });

  it('answers RATE_LIMITED after REGISTER_MAX_PER_EMAIL tries of one email, then per address', async () => {
    const taken = (await registerTenant(sut.url)).email; // attempt 1 from this address
    const codes = [];
    for (let i = 0; i < 2; i++) codes.push((await attempt(taken)).errors?.[0].extensions?.code);
    // The third try of the same email is refused before anything is looked up.
    const limited = await attempt(taken);

    expect(codes).toEqual(['CONFLICT', 'RATE_LIMITED']);
    expect(limited.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^too many registration attempts: retry in \d+ s$/),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    // Probing other emails from the same address runs out too (4 per window).
    const other = await attempt(uniqueEmail('probe'));
    expect(other.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });
});
