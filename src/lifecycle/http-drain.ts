import type http from 'node:http';

export interface HttpDrain {
  /**
   * Stops accepting connections, closes idle keep-alive ones, lets in-flight requests finish
   * (their responses carry `connection: close`) until `deadline` (epoch ms), then cuts the rest.
   */
  drain(deadline: number): Promise<void>;
}

/** Tracks the server's in-flight requests so that shutdown can wait for them. */
export function trackInFlightRequests(server: http.Server): HttpDrain {
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  let onIdle: (() => void) | undefined;
  server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
    inFlight.add(response);
    if (draining) response.setHeader('connection', 'close');
    response.once('close', () => {
      inFlight.delete(response);
      if (draining && inFlight.size === 0) onIdle?.();
    });
  });
  return {
    async drain(deadline) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (onIdle = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
