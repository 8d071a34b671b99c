import type { LifecycleErrorCode } from '@aws-sdk/client-codedeploy';
import type { LifecycleEventRecord } from './records.js';

/**
 * The lifecycle of an in-place deployment to one instance without a load balancer, in order
 * (reference §4). Every event is sent to the agent; DownloadBundle and Install cannot have scripts.
 */
export const IN_PLACE_EVENTS = ['ApplicationStop', 'DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;

/** Events whose failure `ignoreApplicationStopFailures` lets the instance carry on after. */
export const STOP_EVENTS = new Set(['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic']);

export function initialEvents(): LifecycleEventRecord[] {
  return IN_PLACE_EVENTS.map((name) => ({ lifecycleEventName: name, status: 'Pending' }));
}

/** The agent's error codes (agent v1 ScriptError) as the API's LifecycleErrorCode. */
const ERROR_CODES: LifecycleErrorCode[] = ['Success', 'ScriptMissing', 'ScriptNotExecutable', 'ScriptTimedOut', 'ScriptFailed', 'UnknownError'];

export const LOG_TAIL_BYTES = 4096;

/** The agent's completion diagnostics (`{"error_code":4,"script_name":…,"message":…,"log":…}`) as an event's diagnostics. */
export function diagnosticsFrom(payload: string | undefined, status: 'Succeeded' | 'Failed'): LifecycleEventRecord['diagnostics'] {
  let parsed: Record<string, unknown> = {};
  try {
    const value = payload ? JSON.parse(payload) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    parsed = { message: payload };
  }
  const code = Number(parsed.error_code);
  const errorCode = Number.isInteger(code) && code >= 0 && code < ERROR_CODES.length ? ERROR_CODES[code] : status === 'Succeeded' ? 'Success' : 'UnknownError';
  const log = typeof parsed.log === 'string' ? parsed.log : '';
  return {
    errorCode,
    scriptName: typeof parsed.script_name === 'string' ? parsed.script_name : '',
    message: typeof parsed.message === 'string' ? parsed.message : '',
    logTail: tail(log, LOG_TAIL_BYTES),
  };
}

/** The last `bytes` bytes of a text, cut on a character boundary. */
function tail(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  return buf.subarray(buf.length - bytes).toString('utf8').replace(/^\uFFFD+/, '');
}
