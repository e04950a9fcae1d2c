import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestSent } from '../../src/agent/requestSent.ts';

describe('requestSent: when a model request has left the process', () => {
  it('settles once a fetch has sent its body, long before the answer comes', async () => {
    let received: (answer: () => void) => void = () => {};
    const arrived = new Promise<() => void>((resolve) => (received = resolve));
    // The server holds its answer until the test says: the request's sending cannot wait for it.
    const server = createServer((req, res) => {
      req.resume();
      received(() => res.end('{}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const sent = requestSent(10_000);
      const started = performance.now();
      const reply = fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'x' }) });
      await sent;
      expect(performance.now() - started).toBeLessThan(5_000);
      (await arrived)();
      expect((await reply).status).toBe(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('settles after its bound when no request goes out', async () => {
    const started = performance.now();
    await requestSent(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
