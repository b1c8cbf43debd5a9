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

/** Deeper JSON than any payload of this API needs; deeper input would only cost stack in validators and writers. */
export const MAX_JSON_DEPTH = 64;

/** Parses a JSON body; malformed or too deeply nested JSON is the client's error. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON');
  }
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH });
  }
  return value;
}

/** True when objects/arrays nest deeper than `limit` (walked without recursion). */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
