import net from 'node:net';

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The JSON body, when it is JSON. */
  json?: any;
}

/** Parses the first HTTP/1.1 response in `text` (content-length bodies only: what the server sends). */
export function parseRawResponse(text: string): RawHttpResponse | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = Buffer.from(text.slice(end + 4)).subarray(0, length).toString();
  if (Buffer.byteLength(text.slice(end + 4)) < length) return undefined;
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}

/**
 * Writes `chunks` to a fresh connection (waiting `gapMs` between them) and resolves with the
 * first response, or with undefined when the server closed the connection without one.
 * Bounded: gives up after `deadlineMs`.
 */
export function rawRequest(
  port: number,
  chunks: Array<string | Buffer>,
  options: { gapMs?: number; deadlineMs?: number } = {},
): Promise<{ response?: RawHttpResponse; closed: boolean }> {
  const { gapMs = 0, deadlineMs = 20_000 } = options;
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      socket.destroy();
      resolve({ response: parseRawResponse(received), closed });
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (parseRawResponse(received)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    let next = 0;
    const writeNext = () => {
      if (settled || next >= chunks.length) return;
      socket.write(chunks[next++]!);
      timer = setTimeout(writeNext, gapMs);
    };
    socket.on('connect', writeNext);
  });
}
