import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import request from 'supertest';

import { bearer, Session } from './auth';
import type { TestApp } from './test-app';

/** A call to `/api/v1`, as the caller (or anonymously). */
export function v1(app: Pick<TestApp, 'url'>, session?: Session) {
  const auth = session ? bearer(session) : {};
  return {
    get: (path: string) => request(app.url).get(`/api/v1${path}`).set(auth),
    post: (path: string, body?: object) => {
      const call = request(app.url).post(`/api/v1${path}`).set(auth);
      return body === undefined ? call : call.send(body);
    },
    put: (path: string, body: object) =>
      request(app.url).put(`/api/v1${path}`).set(auth).send(body),
    delete: (path: string) => request(app.url).delete(`/api/v1${path}`).set(auth),
  };
}

/** The `{ error }` answer of a v1 route: its code, message, fields and details. */
export interface V1Error {
  error: {
    code: string;
    message: string;
    fields?: { path: string; messages: string[] }[];
    details?: Record<string, unknown>;
  };
}

/** Makes the stored scores of these leads older than any freshness window, directly in MongoDB. */
export async function ageScores(app: TestApp, tenantId: string, leadIds: string[]): Promise<void> {
  const connection = app.app.get<Connection>(getConnectionToken());
  await connection
    .collection('leadScores')
    .updateMany(
      { tenantId: new Types.ObjectId(tenantId), leadId: { $in: leadIds } },
      { $set: { computedAt: new Date(Date.now() - 24 * 3_600_000) } },
    );
}
