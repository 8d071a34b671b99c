import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection refused for a malformed request may go on sending before it is cut off. */
const DRAIN_MS = 1000;

/**
 * Answers a request Node's HTTP parser refused (headers too large, malformed, too slow) and
 * closes the connection cleanly: `Connection: close` tells a keep-alive client not to send its
 * next request on it, and what the client is still sending is read and dropped, so the close is
 * a FIN after the answer rather than a reset that could destroy the answer before it is read.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = `${STATUS_CODES[status]}\n`;
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  }
  socket.on('error', () => undefined);
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}
