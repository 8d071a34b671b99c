import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { readSignature, sha256Hex, verifySignature } from '../../../src/core/sigv4-verify.js';

/**
 * A test double of the CodeDeploy command service and of S3's GET Object: it speaks the agent
 * protocol over HTTP (AWS JSON 1.1, SigV4 verified with the server's own verifier), long-polls,
 * hands out one command at a time per host like the real service, and records what the agent
 * acknowledges and completes. The real service's end-to-end tests run against codesuite itself.
 */
export interface Completion {
  id: string;
  status: string;
  diagnostics: { error_code: number; script_name: string; message: string; log: string };
}

interface Queued {
  /** The polling host that receives it (normally the command's own HostIdentifier). */
  deliverTo: string;
  HostCommandIdentifier: string;
  HostIdentifier: string;
  DeploymentExecutionId: string;
  CommandName: string;
  Nonce: number;
}

export const ACCESS_KEY = { accessKeyId: 'AKIAAGENTTEST0000001', secretAccessKey: 'agent-secret' };

/** A self-signed signer certificate and key made with node-forge, like codesuite's own. */
function signer() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ name: 'commonName', value: 'codedeploy-signer-test' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  return { key, cert };
}

export class FakeCommandService {
  private server!: Server;
  url = '';
  readonly objects = new Map<string, Buffer>();
  readonly specs = new Map<string, { format: 'PKCS7/JSON' | 'TEXT/JSON'; json: string }>();
  readonly acks: { id: string; noop: boolean }[] = [];
  readonly completions: Completion[] = [];
  readonly specRequests: string[] = [];
  readonly agentVersions = new Set<string>();
  /** What PutHostCommandAcknowledgement answers for a command (default InProgress). */
  ackStatus: (id: string) => string | undefined = () => 'InProgress';
  private readonly queue: Queued[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly completionWaiters = new Map<string, (c: Completion) => void>();
  private readonly signing = signer();
  private nonce = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  putObject(bucket: string, key: string, body: Buffer): string {
    this.objects.set(`${bucket}/${key}`, body);
    return createHash('md5').update(body).digest('hex');
  }

  /** Signs a spec as the service does: PKCS#7 SignedData, SHA-256, content attached. */
  sign(json: string): string {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(json, 'utf8');
    p7.addCertificate(this.signing.cert);
    p7.addSigner({
      key: this.signing.key,
      certificate: this.signing.cert,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime, value: new Date() as unknown as string },
      ],
    });
    p7.sign();
    return forge.pkcs7.messageToPem(p7);
  }

  private readonly signed = new Map<string, string>();

  /** A deployment's spec does not change between its commands: sign it once (forge RSA is slow). */
  private signedOnce(json: string): string {
    let pem = this.signed.get(json);
    if (!pem) {
      pem = this.sign(json);
      this.signed.set(json, pem);
    }
    return pem;
  }

  /** Queues one command for a host and resolves with its completion; `deliverTo` misroutes it. */
  send(host: string, commandName: string, executionId: string, deliverTo = host): { id: string; completed: Promise<Completion> } {
    const id = Buffer.from(JSON.stringify(['HostCommandIdentifier', { executionId, host, commandName, n: ++this.nonce }])).toString('base64');
    this.queue.push({ deliverTo, HostCommandIdentifier: id, HostIdentifier: host, DeploymentExecutionId: executionId, CommandName: commandName, Nonce: this.nonce });
    for (const w of this.waiters.splice(0)) w();
    return { id, completed: this.completion(id) };
  }

  completion(id: string): Promise<Completion> {
    const done = this.completions.find((c) => c.id === id);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.completionWaiters.set(id, resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const s3 = req.method === 'GET';
    const signature = readSignature({ method: req.method!, path: url.pathname, query: url.search.slice(1), headers: req.headers, bodySha256: sha256Hex(body), s3 });
    const failure = 'kind' in signature ? signature : verifySignature({ method: req.method!, path: url.pathname, query: url.search.slice(1), headers: req.headers, bodySha256: sha256Hex(body), s3 }, signature, ACCESS_KEY.secretAccessKey, new Date());
    if (failure || ('service' in signature && signature.service !== (s3 ? 's3' : 'codedeploy-commands'))) {
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'InvalidSignatureException', message: failure?.message ?? 'wrong service' }));
      return;
    }
    if (s3) return this.getObject(decodeURIComponent(url.pathname.slice(1)), res);
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(value));
    if (!target.startsWith('CodeDeployCommandService_v20141006.')) return json(400, { __type: 'UnknownOperationException', message: '' });
    this.agentVersions.add(String(req.headers['x-amz-codedeploy-agent-version'] ?? ''));
    const input = JSON.parse(body.toString('utf8') || '{}');
    switch (target.split('.')[1]) {
      case 'PollHostCommand':
        return json(200, await this.poll(input.HostIdentifier, res));
      case 'GetDeploymentSpecification': {
        this.specRequests.push(input.DeploymentExecutionId);
        const spec = this.specs.get(input.DeploymentExecutionId);
        if (!spec) return json(400, { __type: 'com.amazon.apollo.deploycontrol.ClientException#ClientException', message: 'no such deployment' });
        const payload = spec.format === 'PKCS7/JSON' ? this.signedOnce(spec.json) : spec.json;
        return json(200, { DeploymentSystem: 'CodeDeploy', DeploymentSpecification: { GenericEnvelope: { Format: spec.format, Payload: payload } } });
      }
      case 'PutHostCommandAcknowledgement': {
        this.acks.push({ id: input.HostCommandIdentifier, noop: JSON.parse(input.Diagnostics.Payload).IsCommandNoop });
        const status = this.ackStatus(input.HostCommandIdentifier);
        return json(200, status ? { CommandStatus: status } : {});
      }
      case 'PutHostCommandComplete': {
        const completion = { id: input.HostCommandIdentifier, status: input.CommandStatus, diagnostics: JSON.parse(input.Diagnostics.Payload) };
        this.completions.push(completion);
        this.completionWaiters.get(completion.id)?.(completion);
        return json(200, {});
      }
      default:
        return json(400, { __type: 'UnknownOperationException', message: '' });
    }
  }

  /** Long poll: answers as soon as a command is queued for the host, or empty after a while. */
  private async poll(host: string, res: ServerResponse): Promise<unknown> {
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && !res.destroyed) {
      const i = this.queue.findIndex((q) => q.deliverTo === host);
      if (i >= 0) {
        const { deliverTo: _, ...command } = this.queue.splice(i, 1)[0];
        return { HostCommand: command };
      }
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
    return {};
  }

  private getObject(path: string, res: ServerResponse): void {
    const body = this.objects.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'content-length': body.length }).end(body);
  }
}
