/**
 * The baseline of the `leads` query: the same reads as the app's (one page of the tenant's Redis
 * ranking set and its size, then those scores from MongoDB by _id) behind a bare graphql-js
 * handler on node:http. No Nest, no auth, no validation, no rate limits.
 * Usage: node bare-graphql-server.js <mongodb-uri-with-db> <tenantId> <redis-url> <redis-prefix>
 */
import { createServer } from 'node:http';

import { buildSchema, graphql } from 'graphql';
import Redis from 'ioredis';
import mongoose from 'mongoose';

const schema = buildSchema(`
  type Lead { id: ID! leadId: String! name: String score: Float! tier: String! }
  type LeadPage { items: [Lead!]! total: Int! page: Int! limit: Int! }
  type Query { leads(page: Int = 1, limit: Int = 50): LeadPage! }
`);

async function main(): Promise<void> {
  const [uri, tenant, redisUrl, redisPrefix] = process.argv.slice(2);
  const connection = await mongoose.createConnection(uri).asPromise();
  const redis = new Redis(redisUrl);
  const rankingSet = `${redisPrefix}:ranking:{${tenant}}:score`;
  interface ScoreDoc {
    _id: mongoose.Types.ObjectId;
    tenantId: mongoose.Types.ObjectId;
    leadRef: unknown;
    leadId: string;
    name: string | null;
    score: number;
    tier: string;
  }
  const scores = connection.db!.collection<ScoreDoc>('leadScores');
  const tenantId = new mongoose.Types.ObjectId(tenant);
  const root = {
    leads: async ({ page, limit }: { page: number; limit: number }) => {
      const offset = (page - 1) * limit;
      const [[, refs], [, total]] = (await redis
        .multi()
        .zrange(rankingSet, offset, offset + limit - 1)
        .zcard(rankingSet)
        .exec()) as [[null, string[]], [null, number]];
      const docs = await scores
        .find({ _id: { $in: refs.map((ref) => new mongoose.Types.ObjectId(ref)) } })
        .toArray();
      const byRef = new Map(
        docs.filter((doc) => doc.tenantId.equals(tenantId)).map((doc) => [String(doc._id), doc]),
      );
      return {
        items: refs.map((ref) => byRef.get(ref)!).map((doc) => ({
          id: String(doc.leadRef),
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

void main();
