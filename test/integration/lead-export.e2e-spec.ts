import { request as httpRequest, IncomingMessage } from 'node:http';

import { parse } from 'csv-parse/sync';

import { CSV_COLUMNS } from '@/leads/export/lead-export-row.util';
import { EXPORTS_PER_TENANT, LeadExportSlots } from '@/leads/export/lead-export-slots.service';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { ScoreWalks } from '@/scoring/score-walks.service';
import { Scrape } from '@test/utils/metrics';
import { useTestApp } from '@test/utils/test-app';

type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

interface NdjsonRow {
  id: string;
  leadId: string;
  name: string | null;
  email: string | null;
  ownerId: string | null;
  status: string;
  score: number;
  tier: string;
  modelType: string;
  modelId: string;
  modelVersion: number;
  configVersion: number;
  scoredAt: string;
  stale: boolean;
  lastActivityAt: string | null;
  factorUnit: string;
  factors: { feature: string; value: number | string | null; contribution: number }[];
}

interface ListedLead {
  id: string;
  leadId: string;
  name: string | null;
  score: number;
  tier: string;
  isStale: boolean;
  ownerId: string | null;
  breakdown: {
    modelType: string;
    modelId: string;
    modelVersion: number;
    computedAt: string;
    terms: { feature: string; contribution: number }[];
  };
  engagement: { lastActivityAt: string | null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /leads/scoring/export', () => {
  const sut = useTestApp();
  let admin: Session;
  let rep: Session;
  let otherRep: Session;

  async function exportOf(
    session: Session | undefined,
    query = '',
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${sut.url}/leads/scoring/export${query}`, {
      headers: { ...(session ? bearer(session) : {}), ...headers },
    });
    return { response, text: await response.text() };
  }

  async function csvOf(session: Session, query = ''): Promise<CsvRow[]> {
    const { response, text } = await exportOf(session, query);
    expect(response.status).toBe(200);
    return parse<CsvRow>(text, { columns: true });
  }

  async function ndjsonOf(session: Session, query = ''): Promise<NdjsonRow[]> {
    const { response, text } = await exportOf(session, query.replace(/^\??/, '?format=ndjson&'));
    expect(response.status).toBe(200);
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as NdjsonRow);
  }

  async function listed(session: Session): Promise<ListedLead[]> {
    const response = await fetch(`${sut.url}/leads/scoring?limit=200`, {
      headers: bearer(session),
    });
    return ((await response.json()) as { data: ListedLead[] }).data;
  }

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    [rep, otherRep] = await Promise.all([
      createUserSession(sut.url, admin, 'REP'),
      createUserSession(sut.url, admin, 'REP'),
    ]);
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'X-1', ownerId: rep.userId, status: 'WORKING' }),
      makeLead({ leadId: 'X-2', ownerId: rep.userId, name: 'Doe, "Jim"\nJunior' }),
      makeLead({ leadId: 'X-3', ownerId: otherRep.userId, name: '=HYPERLINK("http://evil","x")' }),
      makeLead({ leadId: 'X-4', name: '+1 212', status: 'QUALIFIED' }),
      makeLead({ leadId: 'X-5', name: '-2+3' }),
      makeLead({ leadId: 'X-6', name: '@SUM(A1:A2)' }),
    ]);
    const recorded = await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'X-1', type: 'WEBSITE_VISIT', secondsSpent: 600 }),
      ...Array.from({ length: 10 }, () => makeInteraction({ leadId: 'X-1' })),
      ...Array.from({ length: 20 }, () =>
        makeInteraction({ leadId: 'X-1', type: 'WEBSITE_VISIT', secondsSpent: 30 }),
      ),
      makeInteraction({ leadId: 'X-2', type: 'WEBSITE_VISIT', secondsSpent: 120 }),
      makeInteraction({ leadId: 'X-4' }),
    ]);
    expect(recorded.errors).toBeUndefined();
  });

  it('CSV: every lead with its score, tier, model, factors and last activity, as the list shows them', async () => {
    const { response, text } = await exportOf(admin);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="lead-scores-${admin.tenantId}-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    const rows = parse<CsvRow>(text, { columns: true });
    const list = await listed(admin);
    expect(rows.map((row) => row.leadId).sort()).toEqual(list.map((lead) => lead.leadId).sort());
    expect(rows).toHaveLength(6);
    for (const lead of list) {
      const row = rows.find((r) => r.leadId === lead.leadId)!;
      const top = [...lead.breakdown.terms]
        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
        .map((t) => `${t.feature}:${t.contribution >= 0 ? '+' : ''}${t.contribution}`)
        .join('; ');
      expect(row).toMatchObject({
        id: lead.id,
        ownerId: lead.ownerId ?? '',
        score: String(lead.score),
        tier: lead.tier,
        modelType: 'WEIGHTED_SUM',
        modelId: lead.breakdown.modelId,
        modelVersion: String(lead.breakdown.modelVersion),
        scoredAt: lead.breakdown.computedAt,
        stale: String(lead.isStale),
        lastActivityAt: lead.engagement.lastActivityAt ?? '',
        factorUnit: 'points',
        topFactors: top,
      });
    }
    const hot = rows.find((row) => row.leadId === 'X-1')!;
    expect(hot).toMatchObject({ tier: 'HOT', score: '100', status: 'WORKING' });
    expect(hot.topFactors).toBe('emailOpens:+40; websiteVisits:+35; timeSpent:+25');
    expect(rows.find((row) => row.leadId === 'X-5')).toMatchObject({
      tier: 'COLD',
      score: '0',
      lastActivityAt: '',
    });
  });

  it('reads the scores without the fields no lead view shows (search text, attributes)', async () => {
    const queries = sut.app.get(ScoreWalks);
    const read: Record<string, unknown>[] = [];
    for await (const score of queries.exportScores(admin.tenantId, {}, 2)) read.push({ ...score });
    // In `_id` (leadRef) order, not leadId order.
    expect(read.map((score) => score.leadId as string).sort()).toEqual(
      ['X-1', 'X-2', 'X-3', 'X-4', 'X-5', 'X-6'].sort(),
    );
    for (const score of read) {
      expect(score).not.toHaveProperty('searchText');
      expect(score).not.toHaveProperty('attributes');
      expect(score).toHaveProperty('breakdown');
      expect(score).toHaveProperty('computedAt');
    }
  });

  it('escapes per RFC 4180 and neutralises cells a spreadsheet would run as formulas', async () => {
    const { text } = await exportOf(admin);
    expect(text).toContain('"Doe, ""Jim""\nJunior"');
    const rows = parse<CsvRow>(text, { columns: true });
    const nameOf = (leadId: string) => rows.find((row) => row.leadId === leadId)!.name;
    expect(nameOf('X-2')).toBe('Doe, "Jim"\nJunior');
    expect(nameOf('X-3')).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(nameOf('X-4')).toBe("'+1 212");
    expect(nameOf('X-5')).toBe("'-2+3");
    expect(nameOf('X-6')).toBe("'@SUM(A1:A2)");
    // NDJSON is data, not a spreadsheet: the names as they are.
    const lines = await ndjsonOf(admin);
    expect(lines.find((line) => line.leadId === 'X-3')!.name).toBe('=HYPERLINK("http://evil","x")');
  });

  it('NDJSON by `format` or by Accept, with every factor as an array', async () => {
    const byAccept = await exportOf(admin, '', { accept: 'application/x-ndjson' });
    expect(byAccept.response.status).toBe(200);
    expect(byAccept.response.headers.get('content-type')).toBe(
      'application/x-ndjson; charset=utf-8',
    );
    expect(byAccept.response.headers.get('content-disposition')).toMatch(/\.ndjson"$/);
    const lines = await ndjsonOf(admin);
    expect(byAccept.text.split('\n').filter(Boolean)).toHaveLength(lines.length);
    expect(lines).toHaveLength(6);
    const hot = lines.find((line) => line.leadId === 'X-1')!;
    expect(hot).toMatchObject({
      score: 100,
      tier: 'HOT',
      modelType: 'WEIGHTED_SUM',
      modelVersion: 1,
      stale: false,
      status: 'WORKING',
      factorUnit: 'points',
    });
    expect(hot.factors.map((f) => [f.feature, f.contribution])).toEqual([
      ['emailOpens', 40],
      ['websiteVisits', 35],
      ['timeSpent', 25],
    ]);
    expect(typeof hot.lastActivityAt).toBe('string');
    // `format` wins over Accept.
    const csv = await exportOf(admin, '?format=csv', { accept: 'application/x-ndjson' });
    expect(csv.response.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('gives reps their own leads only, whatever owner they ask for', async () => {
    const own = await csvOf(rep);
    expect(own.map((row) => row.leadId).sort()).toEqual(['X-1', 'X-2']);
    const asked = await ndjsonOf(rep, `?ownerId=${otherRep.userId}`);
    expect(asked.map((row) => row.leadId).sort()).toEqual(['X-1', 'X-2']);
    expect((await csvOf(otherRep)).map((row) => row.leadId)).toEqual(['X-3']);
    // The same leads as the list shows the rep.
    expect((await listed(rep)).map((lead) => lead.leadId).sort()).toEqual(['X-1', 'X-2']);
  });

  it('filters by minScore, status and owner', async () => {
    const scored = await csvOf(admin, '?minScore=10');
    expect(scored.length).toBeGreaterThan(0);
    expect(scored.every((row) => Number(row.score) >= 10)).toBe(true);
    expect(scored.map((row) => row.leadId)).toContain('X-1');
    expect(scored.map((row) => row.leadId)).not.toContain('X-5');
    expect((await csvOf(admin, '?status=QUALIFIED')).map((row) => row.leadId)).toEqual(['X-4']);
    expect((await ndjsonOf(admin, `?ownerId=${otherRep.userId}`)).map((row) => row.leadId)).toEqual(
      ['X-3'],
    );
    // Nothing matches: the header row alone (CSV), nothing at all (NDJSON).
    const { text } = await exportOf(admin, '?minScore=100&status=LOST');
    expect(text).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(await ndjsonOf(admin, '?status=LOST')).toEqual([]);
  });

  it('refuses a bad format or filter (400) and a missing token (401)', async () => {
    for (const query of ['?format=xlsx', '?minScore=abc', '?minScore=101', '?status=GONE']) {
      const { response, text } = await exportOf(admin, query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    }
    const { response, text } = await exportOf(undefined);
    expect(response.status).toBe(401);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it(`answers 429 while ${EXPORTS_PER_TENANT} exports of the tenant run, and serves again after`, async () => {
    const slots = sut.app.get(LeadExportSlots);
    const held = await Promise.all(
      Array.from({ length: EXPORTS_PER_TENANT }, () => slots.acquire(admin.tenantId)),
    );
    expect(held.every(Boolean)).toBe(true);
    try {
      const { response, text } = await exportOf(rep);
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      // Another tenant is not held back.
      const other = await registerTenant(sut.url);
      expect((await exportOf(other)).response.status).toBe(200);
    } finally {
      await Promise.all(held.map((slot) => slot!.release()));
    }
    expect((await exportOf(rep)).response.status).toBe(200);
  });

  it('stops reading when the client goes away mid-export, and frees its slot', async () => {
    const big = await registerTenant(sut.url);
    const total = 4000;
    for (let i = 0; i < total; i += 1000) {
      await upsertLeads(
        sut.url,
        big,
        Array.from({ length: 1000 }, (_, j) =>
          makeLead({
            leadId: `BIG-${i + j}`,
            name: `${'N'.repeat(190)} ${i + j}`,
            email: `${'e'.repeat(50)}.${i + j}@${'d'.repeat(60)}.example.test`,
          }),
        ),
      );
    }
    const scrape = async () => new Scrape(await (await fetch(`${sut.url}/metrics`)).text());
    const rowsOf = (s: Scrape) =>
      s.count('leadscoring_lead_export_rows_total', { format: 'ndjson' });
    const abortedOf = (s: Scrape) =>
      s.count('leadscoring_lead_exports_total', { format: 'ndjson', outcome: 'aborted' });
    const before = await scrape();

    // A client that goes away on the first bytes: the server has 4,000 leads in 80 batches
    // (EXPORT_READ_BATCH) to read, each a round trip to the engine, and must stop after the close.
    const request = httpRequest(`${sut.url}/leads/scoring/export?format=ndjson`, {
      headers: bearer(big),
    });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve).once('error', reject).end();
    });
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => response.once('data', resolve));
    request.destroy();
    let after = await scrape();
    for (let tries = 0; tries < 100 && abortedOf(after) === abortedOf(before); tries++) {
      await sleep(100);
      after = await scrape();
    }
    expect(abortedOf(after)).toBe(abortedOf(before) + 1);
    const handed = rowsOf(after) - rowsOf(before);
    expect(handed).toBeGreaterThan(0);
    expect(handed).toBeLessThan(total);
    // Nothing read after the client left, and the tenant's slots are free again.
    await sleep(500);
    expect(rowsOf(await scrape())).toBe(rowsOf(after));
    const slots = sut.app.get(LeadExportSlots);
    const free = await Promise.all(
      Array.from({ length: EXPORTS_PER_TENANT }, () => slots.acquire(big.tenantId)),
    );
    expect(free.every(Boolean)).toBe(true);
    await Promise.all(free.map((slot) => slot!.release()));
  });
});
