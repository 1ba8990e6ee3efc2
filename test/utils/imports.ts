import request from 'supertest';

import { bearer, Session } from './auth';

export interface ImportView {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  failedRows: number;
  errors: { row: number; messages: string[] }[];
}

/** POSTs a CSV to the import route with its mapping, as a client would. */
export function uploadCsv(url: string, session: Session, csv: string, mapping: object | string) {
  const encoded = encodeURIComponent(
    typeof mapping === 'string' ? mapping : JSON.stringify(mapping),
  );
  return request(url)
    .post(`/import/leads?mapping=${encoded}`)
    .set(bearer(session))
    .set('content-type', 'text/csv')
    .send(csv);
}

/** Polls an import until it is COMPLETED or FAILED. */
export async function waitForImport(
  url: string,
  session: Session,
  id: string,
  timeoutMs = 30_000,
): Promise<ImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(url).get(`/import/leads/${id}`).set(bearer(session));
    const view = response.body as ImportView;
    if (view.status === 'COMPLETED' || view.status === 'FAILED') return view;
    if (Date.now() > deadline) throw new Error(`import not finished: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Uploads and waits; throws unless the upload was accepted. */
export async function importCsv(
  url: string,
  session: Session,
  csv: string,
  mapping: object,
): Promise<ImportView> {
  const started = await uploadCsv(url, session, csv, mapping);
  if (started.status !== 202) throw new Error(`upload refused: ${JSON.stringify(started.body)}`);
  return waitForImport(url, session, (started.body as ImportView).id);
}
