import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { MetricsService } from './metrics.service';

/** Counts and times every HTTP request by its route template (bounded label values). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stopTimer = this.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = routeTemplate(req);
      stopTimer({ method: req.method, route });
      this.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  }
}

function routeTemplate(req: Request): string {
  const route = (req as { route?: unknown }).route;
  const path: unknown =
    typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  if (typeof path === 'string') return req.baseUrl + path;
  // GraphQL is served by Apollo's middleware, which has no express route; by the time the response
  // has finished, a mounted middleware may have left `req.path` relative to its mount point.
  if (req.originalUrl.split('?')[0] === '/graphql') return '/graphql';
  return 'unmatched';
}
