import type { FastifyRequest } from 'fastify';
import type { CallerIdentity } from '../core/context.js';
import { constantTimeEqual } from '../core/sigv4-verify.js';
import { checkGitPassword, GIT_PASSWORD } from '../core/git-password.js';
import type { Identity } from '../core/identity.js';

export type GitAuthentication = { caller: CallerIdentity } | { status: 401 | 403; message: string };

/**
 * Who a git request comes from, with IAM enforcement on. git sends credentials only after a 401
 * asking for Basic auth; they are either HTTPS git credentials (IAM service-specific
 * credentials) or the SigV4-derived password of `aws codecommit credential-helper` and
 * git-remote-codecommit, whose user name is the access key id (`%<session token>` appended for
 * temporary credentials). See the project's reference git-auth.md.
 */
export function authenticateGit(request: FastifyRequest, identity: Identity, regions: string[]): GitAuthentication {
  const header = request.headers.authorization;
  if (!header?.startsWith('Basic ')) return { status: 401, message: 'Authentication required.' };
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (colon < 0 || !user) return { status: 401, message: 'Authentication required.' };

  if (GIT_PASSWORD.test(password)) {
    const [accessKeyId, sessionToken] = splitOnce(user, '%');
    const credential = identity.credential(accessKeyId);
    const problem = identity.usable(credential, sessionToken);
    if (problem === 'expiredToken') return { status: 403, message: 'The security token included in the request is expired.' };
    if (problem) return { status: 401, message: 'The security token included in the request is invalid.' };
    const outcome = checkGitPassword(password, credential!.secret, { regions, hosts: hostCandidates(request), paths: pathCandidates(request) }, identity.now());
    if (outcome === 'expired') return { status: 403, message: 'The git password has expired; ask the credential helper for a new one.' };
    if (outcome === 'mismatch') return { status: 401, message: 'The git password does not match the credentials.' };
    return { caller: credential!.caller };
  }

  const credential = identity.gitCredential(user);
  if (!credential || !credential.active || !constantTimeEqual(credential.password, password)) {
    return { status: 401, message: 'Invalid HTTPS git credentials.' };
  }
  return { caller: credential.caller };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Clients sign the host with or without its port. */
function hostCandidates(request: FastifyRequest): string[] {
  const host = request.headers.host ?? '';
  const bare = host.replace(/:\d+$/, '');
  return bare === host ? [host] : [host, bare];
}

/** The repository path the client signed: up to the smart-HTTP suffix, with or without `.git`. */
function pathCandidates(request: FastifyRequest): string[] {
  const path = decodeURIComponent(request.url.split('?')[0]).replace(/\/(info\/refs|git-upload-pack|git-receive-pack)$/, '').replace(/\/+$/, '');
  return path.endsWith('.git') ? [path, path.slice(0, -4)] : [path, `${path}.git`];
}
