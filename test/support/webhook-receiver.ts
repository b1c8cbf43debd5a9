import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/database/database.js';
import type { Worker } from '../../src/jobs/worker.js';

export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  payload: { type: string; timestamp: string; data: Record<string, any> };
  /** Checked here, independently of the server's signing code. */
  signatureValid: boolean;
  timestampFresh: boolean;
}

/** A webhook consumer on 127.0.0.1 that verifies Standard Webhooks signatures itself. */
export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** What to answer next: a status code (default 204), optionally with headers. */
  respond: (request: ReceivedWebhook) => { status: number; headers?: Record<string, string>; body?: string };
  setSecret(secret: string): void;
  close(): Promise<void>;
}

function verify(secret: string | undefined, id: string, timestamp: string, body: string, header: string): boolean {
  if (!secret?.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64'));
  return header.split(' ').some((candidate) => {
    const [version, signature] = candidate.split(',');
    const given = Buffer.from(signature ?? '');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startWebhookReceiver(options: { port?: number; secret?: string } = {}): Promise<WebhookReceiver> {
  let secret = options.secret;
  const receiver: WebhookReceiver = {
    url: '',
    port: 0,
    received: [],
    respond: () => ({ status: 204 }),
    setSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(request.headers['webhook-id'] ?? '');
      const timestamp = String(request.headers['webhook-timestamp'] ?? '');
      const signature = String(request.headers['webhook-signature'] ?? '');
      const webhook: ReceivedWebhook = {
        id,
        timestamp: Number(timestamp),
        signature,
        body,
        headers: request.headers,
        payload: JSON.parse(body),
        signatureValid: request.headers['content-type'] === 'application/json' && verify(secret, id, timestamp, body, signature),
        timestampFresh: Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300,
      };
      receiver.received.push(webhook);
      const answer = receiver.respond(webhook);
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/alma`;
  return receiver;
}

/** Runs the worker until the organization has no queued or running job (retries included). */
export async function runUntilIdle(worker: Worker, database: Database, organizationId: string, timeoutMs = 20_000): Promise<void> {
  const scope = database.forOrganization(organizationId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ran = await worker.runOnce();
    if (ran === 0) {
      const pending = await scope.db.job.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } });
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`still ${pending} pending job(s) after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
