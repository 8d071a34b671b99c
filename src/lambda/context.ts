import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { ServiceRoles } from '../sts/service-role.js';
import type { CodeStore } from './code.js';
import type { Functions } from './functions.js';
import type { Invoker } from './invoker.js';
import type { FunctionStore } from './store.js';

/** What Lambda's operations share. */
export interface LambdaParts {
  deps: ServiceDeps;
  store: FunctionStore;
  functions: Functions;
  code: CodeStore;
  invoker: Invoker;
  roles: ServiceRoles;
  /** Where GetFunction's Code.Location lets a caller download a zip. */
  codeUrl: (ctx: RequestContext, key: string) => string;
}
