import { Logger } from '@nestjs/common';
import request from 'supertest';

import { AppProcess, LogLine, spawnAppProcess } from '@test/utils/app-process';
import { bearer, registerTenant, Session, TEST_PASSWORD } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { sampleOf as sample, totalOf as total } from '@test/utils/metrics';
import { dropTestDatabase, newTestNamespace, useTestApp } from '@test/utils/test-app';

/** A tenant with one lead, and a read of the ranked list: commands on `leads`, scripts in Redis. */
async function leadTraffic(url: string, admin: Session, leadEmail: string): Promise<void> {
  await upsertLeads(url, admin, [makeLead({ leadId: 'SLOW-1', email: leadEmail })]);
  const page = await gql<{ leads: { total: number } }>(url, '{ leads { total items { id } } }', {
    headers: bearer(admin),
  });
  expect(page.errors).toBeUndefined();
  expect(page.data?.leads.total).toBe(1);
}

/** Raw values the traffic carried, none of which a slow-operation line may hold. */
function secretsOf(admin: Session, leadEmail: string): string[] {
  return [admin.tenantId, admin.userId, admin.email, leadEmail, TEST_PASSWORD, 'SLOW-1'];
}

/**
 * With SLOW_OPERATION_MS=0 every MongoDB command and Redis script is "slow": logged at warn
 * (`SlowOperation`) and counted. The app in this process logs at `error` and shares one pino root
 * with any other app of the process, so its lines are read where they are written (Nest's Logger).
 */
describe('slow operations in process (SLOW_OPERATION_MS=0)', () => {
  const sut = useTestApp({ env: { SLOW_OPERATION_MS: '0' } });
  const scrape = async () => (await request(sut.url).get('/metrics').expect(200)).text;

  it('logs and counts MongoDB commands and Redis scripts, with shapes and no values', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const before = await scrape();
      const admin = await registerTenant(sut.url);
      const leadEmail = 'slow-lead-1@example.test';
      await leadTraffic(sut.url, admin, leadEmail);
      await request(sut.url).get('/health').expect(200);
      const after = await scrape();

      const delta = (name: string, labels: Record<string, string>) =>
        total(after, name, labels) - total(before, name, labels);
      expect(delta('leadscoring_slow_operations_total', { engine: 'mongo' })).toBeGreaterThan(0);
      expect(
        delta('leadscoring_slow_operations_total', { engine: 'mongo', operation: 'find' }),
      ).toBeGreaterThan(0);
      expect(
        delta('leadscoring_slow_operations_total', { engine: 'redis', operation: 'eval' }),
      ).toBeGreaterThan(0);
      expect(
        delta('leadscoring_mongo_command_duration_seconds_count', { command: 'find' }),
      ).toBeGreaterThan(0);
      expect(
        delta('leadscoring_mongo_command_duration_seconds_count', { command: 'insert' }),
      ).toBeGreaterThan(0);
      // Handshakes and health probes are noise, never measured.
      expect(after).not.toMatch(
        /leadscoring_mongo_command_duration_seconds_count\{command="(hello|ping|isMaster)"/,
      );

      const lines = warn.mock.calls
        .map(([message]) => message as LogLine)
        .filter(
          (line) => line?.msg === 'slow MongoDB command' || line?.msg === 'slow Redis script',
        );
      const mongoLines = lines.filter((line) => line.msg === 'slow MongoDB command');
      const onLeads = mongoLines.filter((line) => line.collection === 'leads');
      expect(onLeads.length).toBeGreaterThan(0);
      for (const line of mongoLines) {
        expect(line).toMatchObject({ command: expect.any(String), durationMs: expect.any(Number) });
      }
      expect(onLeads.some((line) => String(line.filter).includes('tenantId: <ObjectId>'))).toBe(
        true,
      );
      expect(mongoLines.some((line) => line.collection === 'healthProbes')).toBe(false);
      expect(mongoLines.some((line) => ['hello', 'ping'].includes(String(line.command)))).toBe(
        false,
      );
      const insert = mongoLines.find((line) => line.command === 'insert');
      expect(insert).toMatchObject({ documents: expect.any(Number) });
      expect(insert).not.toHaveProperty('filter');

      const scripts = lines.filter((line) => line.msg === 'slow Redis script');
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts[0]).toMatchObject({
        keys: expect.any(Number),
        firstKeyPattern: expect.any(String),
        durationMs: expect.any(Number),
      });
      // The per-user budget's key names the user: only its pattern is logged.
      expect(
        scripts.some((line) =>
          String(line.firstKeyPattern).includes(`${sut.config.redis.prefix}:rl:user:<id>`),
        ),
      ).toBe(true);

      const text = JSON.stringify(lines);
      for (const secret of secretsOf(admin, leadEmail)) expect(text).not.toContain(secret);
    } finally {
      warn.mockRestore();
    }
  });
});

/**
 * The built app as a real process at LOG_LEVEL=log: the lines an operator's pipeline receives.
 */
describe('slow operations of the real process (SLOW_OPERATION_MS=0)', () => {
  const namespace = newTestNamespace();
  let proc: AppProcess;

  beforeAll(async () => {
    proc = await spawnAppProcess({
      namespace,
      env: { LOG_LEVEL: 'log', SLOW_OPERATION_MS: '0' },
    });
  });

  afterAll(async () => {
    proc?.kill();
    await proc?.exited;
    await dropTestDatabase(namespace);
  });

  it('logs slow MongoDB commands and Redis scripts by shape, and counts them on /metrics', async () => {
    const scrape = async () => (await request(proc.url).get('/metrics').expect(200)).text;
    const before = await scrape();
    const admin = await registerTenant(proc.url);
    const leadEmail = 'slow-lead-2@example.test';
    await leadTraffic(proc.url, admin, leadEmail);

    const onLeads = await proc.waitForLog(
      (line) =>
        line.msg === 'slow MongoDB command' &&
        line.collection === 'leads' &&
        String(line.filter).includes('<ObjectId>'),
    );
    expect(onLeads).toMatchObject({
      level: 'warn',
      context: 'SlowOperation',
      command: expect.any(String),
      filter: expect.stringContaining('<ObjectId>'),
      durationMs: expect.any(Number),
    });
    const script = await proc.waitForLog((line) => line.msg === 'slow Redis script');
    expect(script).toMatchObject({
      level: 'warn',
      keys: expect.any(Number),
      firstKeyPattern: expect.stringContaining(`${namespace.redisPrefix}:rl:`),
      durationMs: expect.any(Number),
    });

    const after = await scrape();
    expect(
      sample(after, 'leadscoring_slow_operations_total', { engine: 'mongo', operation: 'find' }),
    ).toBeGreaterThan(
      sample(before, 'leadscoring_slow_operations_total', { engine: 'mongo', operation: 'find' }),
    );
    expect(total(after, 'leadscoring_slow_operations_total', { engine: 'redis' })).toBeGreaterThan(
      total(before, 'leadscoring_slow_operations_total', { engine: 'redis' }),
    );

    const slowLines = proc.lines.filter((line) => line.context === 'SlowOperation');
    expect(slowLines.some((line) => line.collection === 'healthProbes')).toBe(false);
    const text = JSON.stringify(slowLines);
    for (const secret of secretsOf(admin, leadEmail)) expect(text).not.toContain(secret);
  });
});
