import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

function get(agent: Agent, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/_codesuite/health', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a request whose headers are too large', () => {
  it('gets 431 with Connection: close, and the connection ends cleanly', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.write(`GET /_codesuite/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`);
    await once(socket, 'end');
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });

  it('does not break the next request of a keep-alive client', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(agent)).status).toBe(200);
      const big = await get(agent, { 'x-big': 'a'.repeat(70_000) });
      expect(big.status).toBe(431);
      expect(big.headers.connection).toBe('close');
      expect((await get(agent)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
