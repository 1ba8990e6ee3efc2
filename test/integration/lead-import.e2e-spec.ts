import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import request from 'supertest';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { useTestApp } from '@test/utils/test-app';

const BANK_CSV = join(__dirname, '..', 'fixtures', 'bank-marketing-sample.csv');

interface ImportView {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  failedRows: number;
  errors: { row: number; messages: string[] }[];
}

describe('CSV import of leads and outcomes', () => {
  const sut = useTestApp();
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  function upload(csv: string, mapping: object | string, session: Session = admin) {
    const encoded = encodeURIComponent(
      typeof mapping === 'string' ? mapping : JSON.stringify(mapping),
    );
    return request(sut.url)
      .post(`/import/leads?mapping=${encoded}`)
      .set(bearer(session))
      .set('content-type', 'text/csv')
      .send(csv);
  }

  async function waitForImport(id: string): Promise<ImportView> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await request(sut.url).get(`/import/leads/${id}`).set(bearer(admin));
      const view = response.body as ImportView;
      if (view.status === 'COMPLETED' || view.status === 'FAILED') return view;
      if (Date.now() > deadline) throw new Error(`import not finished: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('imports the good rows and reports each bad one, without stopping', async () => {
    const rep = await createUserSession(sut.url, admin, 'REP');
    const csv = [
      'id,full_name,email,owner,stage,industry,employees',
      `C-1,Ada Lovelace,ada@example.test,${rep.userId},WORKING,software,120`,
      'C-2,Bad Email,not-an-email,,NEW,retail,5',
      'C-3,Grace Hopper,grace@example.test,,QUALIFIED,defense,9000',
      'C-4,Wrong Owner,x@example.test,0123456789abcdef01234567,NEW,retail,1',
      'C-5,Too,Many,Columns,Here,x,y,z',
      'C-1,Dup,dup@example.test,,NEW,retail,1',
      ',No Id,noid@example.test,,NEW,retail,1',
    ].join('\n');
    const started = await upload(csv, {
      leadId: 'id',
      name: 'full_name',
      email: 'email',
      ownerId: 'owner',
      status: 'stage',
      attributes: ['industry', 'employees'],
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'QUEUED', totalRows: 7 });

    const done = await waitForImport((started.body as ImportView).id);
    expect(done).toMatchObject({
      status: 'COMPLETED',
      totalRows: 7,
      processedRows: 7,
      importedRows: 2,
      failedRows: 5,
    });
    expect(done.errors.map((e) => e.row)).toEqual([2, 4, 5, 6, 7]);
    expect(done.errors[0].messages[0]).toMatch(/^email: email must be an email/);
    expect(done.errors[1].messages[0]).toMatch(/ownerId/);
    expect(done.errors[2].messages[0]).toMatch(/columns/);
    expect(done.errors[3].messages[0]).toMatch(/repeats row 1/);

    const leads = await gql<{
      leads: {
        items: {
          leadId: string;
          ownerId: string | null;
          status: string;
          attributes: Record<string, unknown>;
        }[];
      };
    }>(
      sut.url,
      '{ leads(filter: { search: "c-" }, includeRaw: true) { items { leadId ownerId status attributes } } }',
      { headers: bearer(admin) },
    );
    const byId = Object.fromEntries(leads.data!.leads.items.map((lead) => [lead.leadId, lead]));
    expect(Object.keys(byId).sort()).toEqual(['C-1', 'C-3']);
    expect(byId['C-1']).toMatchObject({
      ownerId: rep.userId,
      status: 'WORKING',
      attributes: { industry: 'software', employees: 120 },
    });
  });

  it('imports real history with outcomes: the bank-marketing data (semicolons, quotes)', async () => {
    const lines = readFileSync(BANK_CSV, 'utf8').split('\n').slice(0, 301).join('\n');
    const started = await upload(lines, {
      leadIdPrefix: 'BANK-',
      outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
      attributes: ['*'],
    });
    expect(started.status).toBe(202);

    const done = await waitForImport((started.body as ImportView).id);
    expect(done).toMatchObject({
      status: 'COMPLETED',
      totalRows: 300,
      importedRows: 300,
      failedRows: 0,
    });
    const first = await gql<{
      leads: { items: { leadId: string; status: string; attributes: Record<string, unknown> }[] };
    }>(
      sut.url,
      '{ leads(filter: { search: "bank-1" }, includeRaw: true, limit: 200) { items { leadId status attributes } } }',
      { headers: bearer(admin) },
    );
    const bank1 = first.data!.leads.items.find((lead) => lead.leadId === 'BANK-1');
    expect(bank1).toMatchObject({
      status: 'LOST',
      attributes: { age: 58, job: 'management', balance: 2143, poutcome: 'unknown' },
    });
    expect(bank1?.attributes).not.toHaveProperty('y');
  });

  it.each([
    ['no mapping', undefined, /mapping query parameter is required/],
    ['bad JSON', '{nope', /not valid JSON/],
    ['neither leadId nor prefix', {}, /needs leadId/],
    ['an unknown mapping key', { leadId: 'id', colour: 'x' }, /colour/],
  ])('refuses %s with 400', async (_label, mapping, message) => {
    const response =
      mapping === undefined
        ? await request(sut.url)
            .post('/import/leads')
            .set(bearer(admin))
            .set('content-type', 'text/csv')
            .send('id\nA')
        : await upload('id\nA', mapping);

    expect(response.status).toBe(400);
    expect((response.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a header without the mapped columns, and creates no import', async () => {
    const response = await upload('a,b\n1,2', { leadId: 'id', email: 'mail' });

    expect(response.status).toBe(400);
    expect((response.body as { error: { message: string } }).error.message).toBe(
      'the CSV header lacks mapped columns: id, mail',
    );
  });

  it('is for admins and managers, with a token', async () => {
    const rep = await createUserSession(sut.url, admin, 'REP');
    expect((await upload('id\nA', { leadId: 'id' }, rep)).status).toBe(403);
    expect(
      (await request(sut.url).post('/import/leads').set('content-type', 'text/csv').send('id\nA'))
        .status,
    ).toBe(401);
    expect(
      (await request(sut.url).get('/import/leads/0123456789abcdef01234567').set(bearer(admin)))
        .status,
    ).toBe(404);
  });
});
