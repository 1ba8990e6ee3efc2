import type { NextFunction, Request, Response } from 'express';

/**
 * GraphQL answers over HTTP, written as they are. Apollo's express integration ends every answer
 * with `res.send(text)`, for which express copies the text into a Buffer, hashes it into an ETag
 * and parses the content type again to add the charset Apollo already gave it: work on every
 * operation for a header no cache uses (the answers are `Cache-Control: no-store`). A text answer
 * with its content type set is ended directly (node adds the Content-Length); anything else goes
 * through express's `send`.
 */
export function graphqlAnswerMiddleware(_req: Request, res: Response, next: NextFunction): void {
  res.send = sendAsIs;
  next();
}

function sendAsIs(this: Response, body?: unknown): Response {
  if (
    typeof body !== 'string' ||
    !this.hasHeader('content-type') ||
    this.req.method === 'HEAD' ||
    this.statusCode === 204 ||
    this.statusCode === 304
  ) {
    return (Object.getPrototypeOf(this) as Response).send.call(this, body);
  }
  this.end(body, 'utf8');
  return this;
}
