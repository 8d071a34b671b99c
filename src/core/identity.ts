import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import { rootCaller, type CallerIdentity, type IssuedCredential, type RequestContext } from './context.js';
import { AwsError } from './errors.js';
import type { ServiceDefinition } from './service.js';
import { parseCredentialScope } from './sigv4.js';
import { readSignature, verifySignature, type VerifyFailure } from './sigv4-verify.js';

/** The wire protocol a request came in by: each names authentication failures its own way. */
export type AuthProtocol = 'json' | 'query' | 'rest';

type FailureKind = VerifyFailure['kind'] | 'unknownKey' | 'expiredToken';

const CODES: Record<AuthProtocol, Record<FailureKind, [string, number, string?]>> = {
  json: {
    missing: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
    malformed: ['IncompleteSignatureException', 403],
    expired: ['InvalidSignatureException', 403],
    mismatch: ['InvalidSignatureException', 403],
    payload: ['InvalidSignatureException', 403],
    unknownKey: ['UnrecognizedClientException', 403, 'The security token included in the request is invalid.'],
    expiredToken: ['ExpiredTokenException', 403, 'The security token included in the request is expired'],
  },
  query: {
    missing: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
    malformed: ['IncompleteSignature', 403],
    expired: ['SignatureDoesNotMatch', 403],
    mismatch: ['SignatureDoesNotMatch', 403],
    payload: ['SignatureDoesNotMatch', 403],
    unknownKey: ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    expiredToken: ['ExpiredToken', 403, 'The security token included in the request is expired'],
  },
  rest: {
    missing: ['AccessDenied', 403, 'Access Denied'],
    malformed: ['AuthorizationQueryParametersError', 400],
    expired: ['AccessDenied', 403],
    mismatch: ['SignatureDoesNotMatch', 403],
    payload: ['XAmzContentSHA256Mismatch', 400],
    unknownKey: ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
    expiredToken: ['ExpiredToken', 400, 'The provided token has expired.'],
  },
};

function authError(protocol: AuthProtocol, kind: FailureKind, message = ''): AwsError {
  const [code, status, fixed] = CODES[protocol][kind];
  return new AwsError(code, fixed ?? message, status);
}

/**
 * Who made a request. Region and access key come from the SigV4 scope; the caller is whoever
 * the key was issued to (the root keys of the configuration, IAM users' keys, STS sessions).
 * Without IAM enforcement nothing is verified and a key nobody issued acts as the account root;
 * with it, the signature must verify against the key's secret or the request is refused.
 */
export class Identity {
  private readonly lookups: NonNullable<ServiceDefinition['lookupCredential']>[];
  private readonly gitLookups: NonNullable<ServiceDefinition['lookupGitCredential']>[];

  constructor(
    services: ServiceDefinition[],
    private readonly config: Config,
    private readonly clock: Clock,
  ) {
    this.lookups = services.flatMap((s) => (s.lookupCredential ? [s.lookupCredential] : []));
    this.gitLookups = services.flatMap((s) => (s.lookupGitCredential ? [s.lookupGitCredential] : []));
  }

  get enforcing(): boolean {
    return this.config.enforceIam;
  }

  now(): Date {
    return this.clock.now();
  }

  /** An HTTPS git credential by its user name (`alice-at-000000000000`). */
  gitCredential(userName: string): { caller: CallerIdentity; password: string; active: boolean } | undefined {
    for (const lookup of this.gitLookups) {
      const found = lookup(userName);
      if (found) return found;
    }
    return undefined;
  }

  /** The credential behind an access key id, the configured root keys included. */
  credential(accessKeyId: string): IssuedCredential | undefined {
    if (accessKeyId === this.config.rootAccessKey) {
      return { caller: { ...rootCaller(this.config.accountId), accessKeyId }, secret: this.config.rootSecretKey, active: true };
    }
    for (const lookup of this.lookups) {
      const found = lookup(accessKeyId);
      if (found) return found;
    }
    return undefined;
  }

  /** Checks that a credential is usable with the session token sent; the reason when it is not. */
  usable(credential: IssuedCredential | undefined, sessionToken: string | undefined): 'unknownKey' | 'expiredToken' | undefined {
    if (!credential || !credential.active) return 'unknownKey';
    if (credential.sessionToken !== undefined && credential.sessionToken !== sessionToken) return 'unknownKey';
    if (credential.expiresAt && this.clock.now().getTime() >= credential.expiresAt.getTime()) return 'expiredToken';
    return undefined;
  }

  /** Without enforcement a key still says who the caller is (an Inactive one too: refusing it is enforcement's job). */
  private unverifiedCaller(accessKeyId: string | undefined, sessionToken: string | undefined): CallerIdentity {
    const credential = accessKeyId ? this.credential(accessKeyId) : undefined;
    return credential && !this.usable({ ...credential, active: true }, sessionToken) ? credential.caller : rootCaller(this.config.accountId);
  }

  /**
   * The request's context; with enforcement on, only once its signature verified. `bodySha256`
   * is the hash of the body received, when the front read it whole (JSON and Query do).
   */
  context(request: FastifyRequest, endpoint: string, protocol: AuthProtocol, bodySha256?: string): RequestContext {
    const [path, query = ''] = request.url.split(/\?(.*)/s, 2);
    const params = new URLSearchParams(query);
    const scope = parseCredentialScope(request.headers, params);
    const tokenHeader = request.headers['x-amz-security-token'];
    const token = (Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader) ?? params.get('X-Amz-Security-Token') ?? undefined;
    const caller = this.config.enforceIam
      ? this.verifiedCaller({ method: request.method, path, query, headers: request.headers, bodySha256, s3: protocol === 'rest' }, protocol)
      : this.unverifiedCaller(scope?.accessKeyId, token);
    return {
      requestId: request.id,
      accountId: this.config.accountId,
      region: scope?.region ?? this.config.defaultRegion,
      accessKeyId: scope?.accessKeyId,
      caller,
      principalArn: caller.arn,
      endpoint,
      sourceIp: request.ip,
    };
  }

  private verifiedCaller(signed: Parameters<typeof readSignature>[0], protocol: AuthProtocol): CallerIdentity {
    const info = readSignature(signed);
    if ('kind' in info) throw authError(protocol, info.kind, info.message);
    const credential = this.credential(info.accessKeyId);
    const problem = this.usable(credential, info.sessionToken);
    if (problem) throw authError(protocol, problem);
    const failure = verifySignature(signed, info, credential!.secret, this.clock.now());
    if (failure) throw authError(protocol, failure.kind, failure.message);
    return credential!.caller;
  }
}
