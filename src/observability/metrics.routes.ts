import { timingSafeEqual } from 'node:crypto';
import type { ObservabilitySettings } from '../config/config.js';
import { sendJson } from '../server/http-errors.js';
import type { Routes } from '../server/http-server.js';
import type { Metrics } from './metrics.js';

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** `GET /metrics`: Prometheus text, behind METRICS_TOKEN when one is set; absent when metrics are off. */
export function metricsRoutes(settings: ObservabilitySettings['metrics'], metrics: Metrics): Routes {
  if (!settings.enabled) return {};
  return {
    'GET /metrics': async (request, response) => {
      if (settings.token !== undefined && !tokenMatches(request.headers.authorization, settings.token)) {
        response.setHeader('www-authenticate', 'Bearer realm="metrics"');
        sendJson(response, 401, { error: { code: 'UNAUTHENTICATED', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' } });
        return;
      }
      const { contentType, body } = await metrics.exposition();
      response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(body);
    },
  };
}
