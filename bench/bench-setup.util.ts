import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';

const JWT_SECRET = 'benchmark-secret-0123456789abcdef0123';

/**
 * The environment of the app under measurement: production settings, its engines, limits that the
 * load never meets (the bench measures the work, not the refusals).
 */
/**
 * The heap of the benches' local mongo-java-server, unless JAVA_TOOL_OPTIONS already sets one:
 * 60 % of the machine's memory (the JVM's default is a quarter). That engine keeps every
 * collection in its heap (35–55 KB a lead with its events, history and indexes); on the default
 * heap a 100,000-lead `npm run bench` (24 GiB machine) spent its later runs collecting garbage:
 * ingestion fell from 2,794 to 299 events/s between rounds, where 20,000 leads hold ~2,900.
 * Answers the option set, or undefined when JAVA_TOOL_OPTIONS was left as it was.
 */
export function sizeBenchEngineHeap(
  env: NodeJS.ProcessEnv = process.env,
  totalBytes = totalmem(),
): string | undefined {
  if (env.JAVA_TOOL_OPTIONS?.includes('-Xmx')) return undefined;
  const gib = Math.max(1, Math.floor((totalBytes * 0.6) / 2 ** 30));
  const option = `-Xmx${gib}g`;
  env.JAVA_TOOL_OPTIONS = env.JAVA_TOOL_OPTIONS ? `${env.JAVA_TOOL_OPTIONS} ${option}` : option;
  return option;
}

export function benchAppEnv({
  port,
  mongoUri,
  redisUrl,
}: {
  port: number;
  mongoUri: string;
  redisUrl: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    APP_ROLE: 'all',
    HOST: '127.0.0.1',
    PORT: String(port),
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'bench',
    JWT_SECRET,
    SECRETS_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 5).toString('base64')}`,
    // Production's level: every request writes its log line, as it would in a deployment.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'log',
    DEMO_DATA: 'false',
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
    LOGIN_MAX_ATTEMPTS: '1000',
  };
}

/** How long one setup request (register, seed chunk) may take before the run gives up. */
const SETUP_TIMEOUT_MS = 120_000;

/** One GraphQL call of the set-up (not a measured request): its data, or an error. */
export async function benchGql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(SETUP_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Poll /health/ready until it answers 200, for at most 60 s. */
export async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the app did not become healthy within 60 s');
}

/** Registers the benchmark's tenant; answers its admin's token and the tenant id. */
export async function registerBenchTenant(
  url: string,
  name: string,
): Promise<{ token: string; tenantId: string }> {
  const session = await benchGql<{
    register: { accessToken: string; user: { tenantId: string } };
  }>(
    url,
    'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { tenantId } } }',
    {
      input: {
        tenantName: `${name} Co`,
        name,
        email: `${name.toLowerCase()}@bench.test`,
        password: 'benchmark-password',
      },
    },
  );
  return { token: session.register.accessToken, tenantId: session.register.user.tenantId };
}

/**
 * Seeds `count` leads (`B-<from>`…, `from` 0 unless given: a later call adds to an earlier one)
 * through the API, as a customer's import would, in chunks, with one interaction each (opens and
 * visits, up to 30 days old). `onProgress` hears the leads this call seeded so far. Answers the
 * seconds it took.
 */
export async function seedLeads({
  url,
  token,
  count,
  chunk,
  from = 0,
  onProgress,
}: {
  url: string;
  token: string;
  count: number;
  chunk: number;
  from?: number;
  onProgress?: (seeded: number) => void;
}): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += chunk) {
    const leads = Array.from({ length: Math.min(chunk, count - i) }, (_, j) => ({
      leadId: `B-${from + i + j}`,
      name: `Lead ${from + i + j}`,
      email: `lead${from + i + j}@bench.test`,
    }));
    await benchGql(
      url,
      'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created } }',
      { input: { leads } },
      token,
    );
    const now = Date.now();
    const interactions = leads.map((lead, j) => ({
      leadId: lead.leadId,
      type: j % 3 === 0 ? 'EMAIL_OPEN' : 'WEBSITE_VISIT',
      secondsSpent: j % 3 === 0 ? undefined : (j * 37) % 600,
      occurredAt: new Date(now - ((from + i + j) % 30) * 86_400_000).toISOString(),
      idempotencyKey: `seed-${lead.leadId}`,
    }));
    await benchGql(
      url,
      'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted } }',
      { input: { interactions } },
      token,
    );
    onProgress?.(i + leads.length);
  }
  return (performance.now() - started) / 1000;
}

/**
 * A full collection of the local mongo-java-server's heap (`jcmd <pid> GC.run`), waited for, so
 * that each timed run of a pair starts from a compacted heap. Why: after seeding, the engine's old
 * generation is full of dead objects, and until its first full collection each young collection
 * took 1–2.5 s (a Flight Recorder log of a rescoring: four of them in 20 s), then 0.1–0.3 s; that
 * full collection fell in whichever run was under way, most often the first rescoring, not its raw
 * pair. Answers false where there is no mongo-java-server to ask (a real mongod, no `jcmd`): runs
 * then go on as they are.
 */
export function compactEngineHeap(
  pid: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  // Only the launcher's JVM: jcmd attaches by sending SIGQUIT, which ends any other process (a
  // real mongod).
  if (pid === undefined || !isMongoJavaServer(pid)) return false;
  const jcmd = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'jcmd') : 'jcmd';
  const result = spawnSync(jcmd, [String(pid), 'GC.run'], {
    encoding: 'utf8',
    timeout: 120_000,
    // jcmd is itself a JVM: the engine's options (a 14 GB heap) are not its own.
    env: { ...env, JAVA_TOOL_OPTIONS: '' },
  });
  return result.status === 0 && !/exception|error/i.test(result.stdout ?? '');
}

/** Whether a pid is the local mongo-java-server's JVM (its command line names the launcher). */
function isMongoJavaServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('MongoJavaServerLauncher');
  } catch {
    return false;
  }
}
