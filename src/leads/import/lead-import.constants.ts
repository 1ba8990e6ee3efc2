export const IMPORTS_QUEUE = 'imports';
export const IMPORT_LEADS_JOB = 'import-leads';
export const IMPORT_CHUNK = 500;
export const MAX_IMPORT_ROWS = 200_000;

export interface ImportLeadsJobData {
  readonly tenantId: string;
  readonly importId: string;
}
