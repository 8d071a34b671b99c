import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The largest response a function may return (AWS: "Exceeded maximum allowed payload size (6291556 bytes)."). */
export const MAX_RESPONSE_BYTES = 6_291_556;

export interface RuntimeEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
}

/** What the runtime answered for an event. */
export type RuntimeReply =
  | { kind: 'response'; body: Buffer; contentType?: string }
  | { kind: 'error'; body: Buffer; errorType: string }
  | { kind: 'too-large' };

/** What an execution environment's runtime tells its Runtime API, in order. */
export interface RuntimeListener {
  /** The first `next`: the runtime has initialised. */
  ready(): void;
  initError(body: Buffer, errorType: string): void;
  reply(requestId: string, reply: RuntimeReply): void;
}

const error = (res: ServerResponse, status: number, errorType: string, errorMessage: string) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errorMessage, errorType }));
};

/**
 * The Lambda Runtime API (2018-06-01) of one execution environment, on its own loopback port, so
 * AWS_LAMBDA_RUNTIME_API is the bare `host:port` every runtime interface client expects. `next`
 * long-polls until `deliver` hands it an event.
 */
export class RuntimeApi {
  private readonly server: Server;
  private waiting: ServerResponse | undefined;
  private queued: RuntimeEvent | undefined;
  private current: string | undefined;
  private initialised = false;

  constructor(private readonly listener: RuntimeListener) {
    this.server = createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0;
  }

  async listen(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    return `${host}:${(this.server.address() as AddressInfo).port}`;
  }

  deliver(event: RuntimeEvent): void {
    this.current = event.requestId;
    if (this.waiting) this.send(this.waiting, event);
    else this.queued = event;
  }

  /** The invocation in progress has ended without the runtime (timeout, exit): its late replies are refused. */
  abandon(): void {
    this.current = undefined;
    this.queued = undefined;
  }

  close(): void {
    this.waiting?.destroy();
    this.waiting = undefined;
    this.server.close();
    this.server.closeAllConnections();
  }

  private send(res: ServerResponse, event: RuntimeEvent): void {
    this.waiting = undefined;
    this.queued = undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': event.requestId,
      'lambda-runtime-deadline-ms': String(event.deadlineMs),
      'lambda-runtime-invoked-function-arn': event.invokedFunctionArn,
      'lambda-runtime-trace-id': event.traceId,
    };
    if (event.clientContext) headers['lambda-runtime-client-context'] = event.clientContext;
    res.writeHead(200, headers).end(event.payload);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/2018-06-01/runtime/invocation/next') {
      if (!this.initialised) {
        this.initialised = true;
        this.listener.ready();
      }
      if (this.queued) this.send(res, this.queued);
      else this.waiting = res;
      return;
    }
    const m = /^\/2018-06-01\/runtime\/(?:invocation\/([^/]+)\/(response|error)|init\/(error))$/.exec(path);
    if (req.method !== 'POST' || !m) {
      error(res, 404, 'InvalidRequest', `No route for ${req.method} ${path}`);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const errorType = String(req.headers['lambda-runtime-function-error-type'] ?? 'Runtime.Unknown');
      if (m[3]) {
        if (this.initialised) return error(res, 403, 'InvalidStateTransition', 'State transition from Ready to InitError failed for runtime. Error: State transition is not allowed');
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
        this.listener.initError(body, errorType);
        return;
      }
      const requestId = decodeURIComponent(m[1]);
      if (requestId !== this.current) return error(res, 400, 'InvalidRequestID', 'Invalid request ID');
      this.current = undefined;
      if (m[2] === 'response' && size > MAX_RESPONSE_BYTES) {
        error(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`);
        this.listener.reply(requestId, { kind: 'too-large' });
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      this.listener.reply(
        requestId,
        m[2] === 'response' ? { kind: 'response', body, contentType: req.headers['content-type'] } : { kind: 'error', body, errorType },
      );
    });
  }
}
