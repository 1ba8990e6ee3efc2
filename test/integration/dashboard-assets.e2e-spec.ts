import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import request from 'supertest';

import { startTestApp, TestApp } from '@test/utils/test-app';

/** The API serves the built dashboard on its own origin; its own paths stay the API's. */
describe('the dashboard served by the API', () => {
  let dir: string;
  let sut: TestApp;
  let worker: TestApp | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
    sut = await startTestApp({ env: { DASHBOARD_DIR: dir } });
  });

  afterAll(async () => {
    await sut?.close();
    await worker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for the dashboard routes a browser loads, with a CSP', async () => {
    for (const path of [
      '/',
      '/lead/6b1129cd945382a2c9c1ada6',
      '/admin/models',
      '/login?next=%2F',
    ]) {
      const response = await request(sut.url).get(path).set('accept', 'text/html');
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.text).toContain('<div id="root">');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("connect-src 'self' ws: wss:");
    }
  });

  it('serves hashed assets cached for a year, other files uncached, a missing asset as 404', async () => {
    const asset = await request(sut.url).get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const robots = await request(sut.url).get('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers['cache-control']).toBe('no-cache');
    const missing = await request(sut.url).get('/assets/index-old.js').set('accept', 'text/html');
    expect(missing.status).toBe(404);
  });

  it("leaves the API's paths to the API, whatever the browser accepts", async () => {
    const health = await request(sut.url).get('/health').set('accept', 'text/html');
    expect(health.headers['content-type']).toContain('application/json');
    const rest = await request(sut.url).get('/leads/scoring').set('accept', 'text/html');
    expect(rest.status).toBe(401);
    const graphql = await request(sut.url)
      .post('/graphql')
      .send({ query: '{ __typename }' })
      .set('content-type', 'application/json');
    expect(graphql.body).toEqual({ data: { __typename: 'Query' } });
    // Not a page request: no index.html for an API client asking for JSON.
    const json = await request(sut.url).get('/no-such-route').set('accept', 'application/json');
    expect(json.status).toBe(404);
  });

  it('runs without the dashboard when it is not built', async () => {
    worker = await startTestApp({ env: { DASHBOARD_DIR: join(dir, 'absent') } });
    const response = await request(worker.url).get('/').set('accept', 'text/html');
    expect(response.status).toBe(404);
  });
});
