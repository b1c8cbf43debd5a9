import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A real HTTP server speaking the OpenAI `/v1/chat/completions` protocol, answering from a
 * script (one reply per request, the last one repeating) and recording every request it gets.
 */

export type ScriptedReply =
  /** 200 with a chat completion whose message content is `content`. */
  | { kind: 'completion'; content: string; model?: string; usage?: { prompt_tokens: number; completion_tokens: number }; finishReason?: string }
  /** An error status with an OpenAI error body. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { kind: 'hang' }
  /** Sends 200 and the start of a body, then nothing more. */
  | { kind: 'stall-body' };

const recordedBody = z
  .object({
    model: z.string(),
    messages: z.array(z.object({ role: z.string(), content: z.string() })),
    response_format: z
      .object({
        type: z.string(),
        json_schema: z.object({ name: z.string(), strict: z.boolean().optional(), schema: z.record(z.string(), z.unknown()) }).optional(),
      })
      .optional(),
  })
  .loose();

export type RecordedChatRequest = z.infer<typeof recordedBody>;

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: RecordedChatRequest;
  receivedAtMs: number;
}

export interface FakeOpenAIServer {
  /** For the client's `baseURL`, e.g. `http://127.0.0.1:40123/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function reply(response: ServerResponse, scripted: ScriptedReply, index: number): void {
  switch (scripted.kind) {
    case 'hang':
      return;
    case 'stall-body':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id": "chatcmpl-stalled", "object": "chat.completion", ');
      return;
    case 'status':
      sendJson(
        response,
        scripted.status,
        { error: { message: scripted.message ?? `scripted ${scripted.status}`, type: 'scripted_error', param: null, code: null } },
        scripted.headers,
      );
      return;
    case 'completion': {
      const usage = scripted.usage ?? { prompt_tokens: 100, completion_tokens: 50 };
      sendJson(response, 200, {
        id: `chatcmpl-${index}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: scripted.model ?? 'gpt-test-2025-01-01',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: scripted.content, refusal: null },
            finish_reason: scripted.finishReason ?? 'stop',
            logprobs: null,
          },
        ],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
      return;
    }
  }
}

export async function startFakeOpenAIServer(script: ScriptedReply[]): Promise<FakeOpenAIServer> {
  if (script.length === 0) throw new Error('the script needs at least one reply');
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      const path = request.url ?? '';
      if (request.method !== 'POST' || path !== '/v1/chat/completions') {
        sendJson(response, 404, { error: { message: `no route ${request.method} ${path}`, type: 'not_found' } });
        return;
      }
      const index = requests.length;
      requests.push({
        method: request.method,
        path,
        authorization: request.headers.authorization,
        body: recordedBody.parse(JSON.parse(text)),
        receivedAtMs: Date.now(),
      });
      reply(response, script[Math.min(index, script.length - 1)]!, index);
    })().catch((error: unknown) => {
      // 418 reads as a permanent rejection, so a broken test server cannot pass for a flaky one.
      sendJson(response, 418, { error: { message: `fake server failed: ${String(error)}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
