import { Connection, Types } from 'mongoose';
import request from 'supertest';

import { signWebhook } from '@/leads/ingest/webhook-signature.util';
import { leadRefFor } from '@/leads/lead-snapshot.util';

import { bearer, Session } from './auth';
import type { InteractionSpec } from './leads';

/** Every request of a fault test gives up after this: a fault must never hang a client. */
export const REQUEST_TIMEOUT_MS = 8_000;

/** What a client got for one request made while faults happened. */
export type Outcome =
  | { kind: 'ok'; status: number }
  | { kind: 'unavailable'; status: number }
  | { kind: 'other'; status: number; body: string }
  | { kind: 'no-answer'; error: string };

/** A bounded record of outcomes, by kind, and every unexpected one in full. */
export class Outcomes {
  readonly counts: Record<Outcome['kind'], number> = {
    ok: 0,
    unavailable: 0,
    other: 0,
    'no-answer': 0,
  };
  readonly unexpected: Outcome[] = [];

  add(outcome: Outcome): Outcome {
    this.counts[outcome.kind] += 1;
    if (outcome.kind === 'other' || outcome.kind === 'no-answer') this.unexpected.push(outcome);
    return outcome;
  }
}

/**
 * POSTs a GraphQL operation with a timeout and classifies the answer: `ok` with data and no
 * errors, `unavailable` for UNAVAILABLE (the only acceptable failure while an engine is down),
 * anything else (INTERNAL_SERVER_ERROR above all) is `other`.
 */
export async function gqlOutcome<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  session: Session,
): Promise<{ outcome: Outcome; data?: T }> {
  try {
    const response = await request(url)
      .post('/graphql')
      .timeout({ response: REQUEST_TIMEOUT_MS, deadline: REQUEST_TIMEOUT_MS })
      .set('content-type', 'application/json')
      .set(bearer(session))
      .send({ query, variables });
    const body = response.body as {
      data?: T | null;
      errors?: { extensions?: { code?: string } }[];
    };
    if (!body.errors && body.data)
      return { outcome: { kind: 'ok', status: response.status }, data: body.data };
    if (body.errors?.length && body.errors.every((e) => e.extensions?.code === 'UNAVAILABLE'))
      return { outcome: { kind: 'unavailable', status: response.status } };
    return {
      outcome: { kind: 'other', status: response.status, body: JSON.stringify(body).slice(0, 500) },
    };
  } catch (error) {
    return { outcome: { kind: 'no-answer', error: String(error) } };
  }
}

/** GETs a REST route with a timeout: 2xx is `ok`, 503 with code UNAVAILABLE is `unavailable`. */
export async function restOutcome(url: string, path: string, session: Session): Promise<Outcome> {
  try {
    const response = await request(url)
      .get(path)
      .timeout({ response: REQUEST_TIMEOUT_MS, deadline: REQUEST_TIMEOUT_MS })
      .set(bearer(session));
    return classifyRest(response);
  } catch (error) {
    return { kind: 'no-answer', error: String(error) };
  }
}

/** A signed webhook delivery (`POST /ingest/interactions`), classified like `restOutcome`. */
export async function webhookOutcome(
  url: string,
  tenantId: string,
  secret: string,
  interactions: readonly InteractionSpec[],
): Promise<Outcome> {
  const raw = JSON.stringify({ interactions });
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await request(url)
      .post('/ingest/interactions')
      .timeout({ response: REQUEST_TIMEOUT_MS, deadline: REQUEST_TIMEOUT_MS })
      .set('content-type', 'application/json')
      .set('x-tenant-id', tenantId)
      .set('x-webhook-timestamp', String(timestamp))
      .set('x-webhook-signature', signWebhook(secret, timestamp, raw))
      .send(raw);
    return classifyRest(response);
  } catch (error) {
    return { kind: 'no-answer', error: String(error) };
  }
}

function classifyRest(response: request.Response): Outcome {
  if (response.status >= 200 && response.status < 300)
    return { kind: 'ok', status: response.status };
  const code = (response.body as { error?: { code?: string } }).error?.code;
  if (response.status === 503 && code === 'UNAVAILABLE')
    return { kind: 'unavailable', status: response.status };
  return {
    kind: 'other',
    status: response.status,
    body: JSON.stringify(response.body).slice(0, 500),
  };
}

export interface HealthSample {
  at: number;
  status: number;
  mongo?: string;
  redis?: string;
}

/**
 * Polls /health every `intervalMs` until stopped (or `maxSamples`), each request bounded: what
 * /health said over time, to check it told the truth while an engine was down and after.
 */
export function pollHealth(url: string, intervalMs = 100, maxSamples = 600) {
  const samples: HealthSample[] = [];
  let running = true;
  const done = (async () => {
    while (running && samples.length < maxSamples) {
      try {
        const response = await request(url).get('/health').timeout(3_000);
        const body = response.body as {
          dependencies?: { mongo?: { status: string }; redis?: { status: string } };
        };
        samples.push({
          at: Date.now(),
          status: response.status,
          mongo: body.dependencies?.mongo?.status,
          redis: body.dependencies?.redis?.status,
        });
      } catch {
        samples.push({ at: Date.now(), status: 0 });
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    samples,
    async stop(): Promise<HealthSample[]> {
      running = false;
      await done;
      return samples;
    },
  };
}

/** Resolves once `probe` accepts, or with the last value after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The interactions a test sent, by idempotency key, and which of them were acknowledged. */
export class InteractionLedger {
  readonly sent = new Map<string, InteractionSpec>();
  readonly acknowledged = new Set<string>();
  /** Batches without an acknowledgement, to send again (as a client retries) after the fault. */
  readonly unacknowledged: InteractionSpec[][] = [];

  record(batch: InteractionSpec[], acknowledged: boolean): void {
    for (const item of batch) this.sent.set(item.idempotencyKey, item);
    if (acknowledged) batch.forEach((item) => this.acknowledged.add(item.idempotencyKey));
    else this.unacknowledged.push(batch);
  }
}

interface Counts {
  emailOpens: number;
  websiteVisits: number;
  timeSpentSeconds: number;
}

/**
 * Compares, for every lead of `leadIds`, the interaction log with the lead's engagement and the
 * lead with its score document (same engagement, `leadVersion` = the lead's `version`). Returns one
 * line per disagreement (empty: consistent) and the idempotency keys in the log.
 */
export async function checkIntegrity(
  db: Connection,
  tenantId: string,
  leadIds: readonly string[],
): Promise<{ problems: string[]; loggedKeys: Set<string>; scoresBehind: string[] }> {
  const tenant = new Types.ObjectId(tenantId);
  const refs = leadIds.map((leadId) => leadRefFor(tenantId, leadId));
  const [events, leads, scores] = await Promise.all([
    db.collection('interactions').find({ tenantId: tenant }).toArray(),
    db
      .collection('leads')
      .find({ tenantId: tenant, _id: { $in: refs } })
      .toArray(),
    db
      .collection('leadScores')
      .find({ tenantId: tenant, _id: { $in: refs } })
      .toArray(),
  ]);
  const problems: string[] = [];
  const scoresBehind: string[] = [];
  const loggedKeys = new Set<string>();
  const fromLog = new Map<string, Counts>();
  for (const event of events) {
    const key = String(event.idempotencyKey);
    if (loggedKeys.has(key)) problems.push(`key ${key} logged twice`);
    loggedKeys.add(key);
    const ref = String(event.leadRef);
    const counts = fromLog.get(ref) ?? { emailOpens: 0, websiteVisits: 0, timeSpentSeconds: 0 };
    counts.emailOpens += Number(event.emailOpen);
    counts.websiteVisits += Number(event.visit);
    counts.timeSpentSeconds += Number(event.secondsSpent);
    fromLog.set(ref, counts);
  }
  const leadByRef = new Map(leads.map((lead) => [String(lead._id), lead]));
  const scoreByRef = new Map(scores.map((score) => [String(score._id), score]));
  leadIds.forEach((leadId, i) => {
    const ref = String(refs[i]);
    const lead = leadByRef.get(ref);
    const score = scoreByRef.get(ref);
    if (!lead) return problems.push(`${leadId}: no lead`);
    const truth = fromLog.get(ref) ?? { emailOpens: 0, websiteVisits: 0, timeSpentSeconds: 0 };
    const pick = (doc: Record<string, unknown>): Counts => ({
      emailOpens: Number(doc.emailOpens ?? 0),
      websiteVisits: Number(doc.websiteVisits ?? 0),
      timeSpentSeconds: Number(doc.timeSpentSeconds ?? 0),
    });
    const same = (a: Counts, b: Counts) =>
      a.emailOpens === b.emailOpens &&
      a.websiteVisits === b.websiteVisits &&
      a.timeSpentSeconds === b.timeSpentSeconds;
    if (!same(truth, pick(lead)))
      problems.push(
        `${leadId}: lead ${JSON.stringify(pick(lead))} != log ${JSON.stringify(truth)}`,
      );
    if (!score) return problems.push(`${leadId}: no score`);
    if (!same(pick(lead), pick(score)) || score.leadVersion !== lead.version) {
      if (Number(score.leadVersion) < Number(lead.version)) scoresBehind.push(leadId);
      problems.push(
        `${leadId}: score ${JSON.stringify({ ...pick(score), leadVersion: score.leadVersion })} != lead ${JSON.stringify({ ...pick(lead), version: lead.version })}`,
      );
    }
  });
  return { problems, loggedKeys, scoresBehind };
}
