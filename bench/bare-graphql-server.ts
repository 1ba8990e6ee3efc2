/**
 * The baseline of the `leads` query: the same read (tenant's scores sorted by score, one page and
 * the total) behind a bare graphql-js handler on node:http. No Nest, no auth, no validation.
 * Usage: node bare-graphql-server.js <mongodb-uri-with-db> <tenantId>
 */
import { createServer } from 'node:http';

import { buildSchema, graphql } from 'graphql';
import mongoose from 'mongoose';

const schema = buildSchema(`
  type Lead { id: ID! leadId: String! name: String score: Float! tier: String! }
  type LeadPage { items: [Lead!]! total: Int! page: Int! limit: Int! }
  type Query { leads(page: Int = 1, limit: Int = 50): LeadPage! }
`);

async function main(): Promise<void> {
  const [uri, tenant] = process.argv.slice(2);
  const connection = await mongoose.createConnection(uri).asPromise();
  interface ScoreDoc {
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
      const filter = { tenantId };
      const [docs, total] = await Promise.all([
        scores
          .find(filter)
          .sort({ score: -1, leadRef: 1 })
          .skip((page - 1) * limit)
          .limit(limit)
          .toArray(),
        scores.countDocuments(filter),
      ]);
      return {
        items: docs.map((doc) => ({
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
