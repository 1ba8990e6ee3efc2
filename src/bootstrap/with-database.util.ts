/** Puts `database` in a connection string that names none (local engines hand out bare URIs). */
export function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  if (url.pathname && url.pathname !== '/') return uri;
  url.pathname = `/${database}`;
  return url.toString();
}
