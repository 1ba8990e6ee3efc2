import type { NextFunction, Request, Response } from 'express';

import { ErrorCode } from '@/common/errors/error-code';

/** Refuses HTTP batches (a JSON array of operations) longer than `maxBatch`, before Apollo parses them. */
export function batchLimitMiddleware(maxBatch: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (Array.isArray(body) && body.length > maxBatch) {
      res.status(400).json({
        errors: [
          {
            message: `a batch may hold at most ${maxBatch} operations (got ${body.length})`,
            extensions: {
              code: ErrorCode.BAD_USER_INPUT,
              limit: 'MAX_BATCH',
              actual: body.length,
              max: maxBatch,
            },
          },
        ],
      });
      return;
    }
    next();
  };
}
