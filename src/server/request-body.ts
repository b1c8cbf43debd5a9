import type http from 'node:http';
import { DomainError, ErrorCode } from '../errors/domain-error.js';

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes`);
  }
}

/** Reads the whole body, refusing more than `limit` bytes (413) before buffering it all. */
export async function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; malformed JSON is the client's error. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON');
  }
}
