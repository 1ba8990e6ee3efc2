import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import serveStatic from 'serve-static';

/** Paths the API answers itself: never the dashboard's, whatever the browser accepts. */
const API_PATHS = /^\/(graphql|health|metrics|ingest|import|leads|api)(\/|$)/;

/**
 * What a browser may load and talk to on the dashboard's pages: its own scripts and styles (charts
 * set inline styles), images from itself or data URLs, and its own API over HTTP and WebSocket.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/**
 * The built dashboard on the API's own origin (one URL for users, no CORS): hashed assets under
 * `/assets/` cached for a year, other files as they are, and `index.html` (never cached) for any
 * other GET a browser makes for a page (`Accept: text/html`) outside the API's paths, so the
 * dashboard's own routes (`/lead/…`, `/admin/…`) load on reload. Undefined when the dashboard is
 * not built (`dir` has no index.html): the API runs without it.
 */
export function dashboardAssets(dir: string): RequestHandler | undefined {
  const root = resolve(dir);
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const index = readFileSync(indexPath);
  const files = serveStatic(root, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader(
        'Cache-Control',
        path.includes(`${root}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    files(req, res, () => {
      // A missing asset is a 404, not the page (a stale tab asking for an old bundle).
      if (req.path.startsWith('/assets/') || !req.accepts('html')) return next();
      securityHeaders(res);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(index);
    });
  };
}
