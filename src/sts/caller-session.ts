import type { RequestContext } from '../core/context.js';
import { expiredToken, invalidToken } from './errors.js';
import type { StsSession, StsSessions } from './sessions.js';

/**
 * The STS session the request was signed with, if any. A temporary key STS issued that did not
 * resolve to its session (expired, or sent with another token) is refused here the way AWS
 * refuses it, rather than acting as the account root as unknown keys do until enforcement.
 */
export function callerSession(sessions: StsSessions, ctx: RequestContext): StsSession | undefined {
  const key = ctx.accessKeyId;
  if (!key?.startsWith('ASIA')) return undefined;
  const session = sessions.sessionFor(key);
  if (!session) return undefined;
  if (ctx.caller.accessKeyId !== key) throw sessions.expired(session) ? expiredToken() : invalidToken();
  return session;
}
