import { loopbackProblem } from '../core/loopback-http.js';
import { validation } from './errors.js';

export { HttpFailure, sendLoopback } from '../core/loopback-http.js';

/** Refuses, at create and update time, an endpoint codesuite would not call. */
export function checkLoopbackEndpoint(member: string, endpoint: string): URL {
  const problem = loopbackProblem(endpoint);
  if (problem) throw validation(`Parameter ${member} is not valid. Reason: ${problem}`);
  return new URL(endpoint);
}
