// Reads a JSON request body with a size limit; every failure is an ApiError with a clear word.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../engine/api.ts';

export const BODY_LIMIT = 256 * 1024;

export async function readJsonBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  // Drain the whole body even when too big, so the client reads our answer instead of a reset.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new ApiError(413, 'body_too_large', `the request body is larger than ${limit} bytes`);
  if (size === 0) throw new ApiError(400, 'body_required', 'a JSON body is required');
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', 'the body must be sent as Content-Type: application/json');
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new ApiError(400, 'malformed_json', `the body is not valid JSON: ${(e as Error).message}`);
  }
}
