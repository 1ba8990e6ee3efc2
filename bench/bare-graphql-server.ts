/**
 * The baseline of the `leads` query: the same read as the app's (one page of the tenant's Redis
 * ranking index with its stored scores, and the count, in one round trip) behind a bare graphql-js
 * handler on node:http. No Nest, no auth, no validation, no rate limits.
 * Usage: node bare-graphql-server.js <tenantId> <redis-url> <redis-prefix>
 */
import { createServer } from 'node:http';

import { buildSchema, graphql } from 'graphql';
import Redis from 'ioredis';

/** ZRANGE, ZCARD and HMGET of the page's scores, in one round trip like the app's script. */
const PAGE_SCRIPT = `
local refs = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2])
local docs = {}
if #refs > 0 then docs = redis.call('HMGET', KEYS[2], unpack(refs)) end
return {redis.call('ZCARD', KEYS[1]), docs}
`;

const schema = buildSchema(`
  type Lead { id: ID! leadId: String! name: String score: Float! tier: String! }
  type LeadPage { items: [Lead!]! total: Int! page: Int! limit: Int! }
  type Query { leads(page: Int = 1, limit: Int = 50): LeadPage! }
`);

function main(): void {
  const [tenant, redisUrl, redisPrefix] = process.argv.slice(2);
  const redis = new Redis(redisUrl);
  const rankingSet = `${redisPrefix}:ranking:{${tenant}}:score`;
  const rankingDocs = `${redisPrefix}:ranking:{${tenant}}:docs`;
  interface ScoreDoc {
    tenantId: string;
    leadRef: string;
    leadId: string;
    name: string | null;
    score: number;
    tier: string;
  }
  /**
   * The fields a page shows of a stored score: in formats 1 and 2 (the app's `score-doc.codec.ts`,
   * a JSON array by position) the tenant is at 1, the lead ref 2, the lead id 3, the name 4, the
   * score 12 and the tier 13; scores stored before them are keyed objects.
   */
  const readDoc = (text: string): ScoreDoc => {
    // The index keeps a doc followed by a newline and its version part (ranking-scripts.ts).
    const end = text.indexOf('\n');
    const raw = JSON.parse(end < 0 ? text : text.slice(0, end)) as unknown;
    if (!Array.isArray(raw)) return raw as ScoreDoc;
    const [, tenantId, leadRef, leadId, name] = raw as [number, string, string, string, string];
    return { tenantId, leadRef, leadId, name, score: raw[12] as number, tier: raw[13] as string };
  };
  redis.defineCommand('leadsPage', { numberOfKeys: 2, lua: PAGE_SCRIPT });
  const pages = redis as unknown as { leadsPage(...args: (string | number)[]): Promise<unknown> };
  const root = {
    leads: async ({ page, limit }: { page: number; limit: number }) => {
      const offset = (page - 1) * limit;
      const [total, docs] = (await pages.leadsPage(
        rankingSet,
        rankingDocs,
        offset,
        offset + limit - 1,
      )) as [number, string[]];
      return {
        items: docs
          .map(readDoc)
          .filter((doc) => doc.tenantId === tenant)
          .map((doc) => ({
            id: doc.leadRef,
            leadId: doc.leadId,
            name: doc.name,
            score: doc.score,
            tier: doc.tier,
          })),
        total,
        page,
        limit,
      };
    },
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      void graphql({ schema, source: query, rootValue: root, variableValues: variables }).then(
        (result) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(result));
        },
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.stdout.write(`READY port=${address.port}\n`);
  });
}

main();
