/**
 * The baseline of the `leads` query: the same read as the app's (one page of the tenant's Redis
 * ranking index with its stored rows, and the count, in one round trip: the app's own script)
 * behind a bare graphql-js handler on node:http. No Nest, no auth, no validation, no rate limits.
 * Usage: node bare-graphql-server.js <tenantId> <redis-url> <redis-prefix>
 */
import { createServer } from 'node:http';

import { buildSchema, graphql } from 'graphql';
import Redis from 'ioredis';

import { rankingKeys } from '../src/scoring/ranking/ranking-keys';
import { PAGE_SCRIPT } from '../src/scoring/ranking/ranking-scripts';

const schema = buildSchema(`
  type Lead { id: ID! leadId: String! name: String score: Float! tier: String! }
  type LeadPage { items: [Lead!]! total: Int! page: Int! limit: Int! }
  type Query { leads(page: Int = 1, limit: Int = 50): LeadPage! }
`);

function main(): void {
  const [tenant, redisUrl, redisPrefix] = process.argv.slice(2);
  const redis = new Redis(redisUrl);
  const names = rankingKeys(`${redisPrefix}:ranking:{${tenant}}`);
  const keys = [names.ready, names.dir, names.order, names.docs];
  /**
   * The fields a page shows of a stored row (the app's `score-doc.codec.ts`, format 3): the row, a
   * JSON array by position (lead id at 1, name 2, tier 8), then after a newline
   * "leadVersion:computedAt|owner|score|lastActivityAt"; the lead refs come as 12 bytes.
   */
  const readDoc = (id: string, text: string) => {
    const end = text.indexOf('\n');
    const row = JSON.parse(text.slice(0, end)) as unknown[];
    const meta = text.slice(end + 1).split('|');
    const score = Number(meta[meta.length - 2]);
    return { id, leadId: row[1] as string, name: row[2] as string | null, score, tier: row[8] };
  };
  redis.defineCommand('leadsPage', { numberOfKeys: 4, lua: PAGE_SCRIPT });
  const pages = redis as unknown as {
    leadsPageBuffer(...args: (string | number)[]): Promise<unknown>;
  };
  const root = {
    leads: async ({ page, limit }: { page: number; limit: number }) => {
      const offset = (page - 1) * limit;
      const reply = (await pages.leadsPageBuffer(
        ...keys,
        's',
        'rank',
        offset,
        limit,
        0,
        'fwd',
      )) as [number, Buffer[], Buffer[]];
      const [total, refs, docs] = reply;
      const items = docs.map((doc, i) => readDoc(refs[i].toString('hex'), doc.toString()));
      return { items, total, page, limit };
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
