import { randomUUID } from 'node:crypto';
import type { CallerIdentity, RequestContext } from './context.js';
import { dispatch, allowAll, type Authorizer, type ProtocolErrors } from './dispatch.js';
import { AwsError } from './errors.js';
import type { ServiceDefinition } from './service.js';

/** Who an internal call is made as, and where. */
export interface InternalCallAs {
  caller: CallerIdentity;
  region: string;
  /** Base URL handed out in answers (clone URLs, presigned links); the server's own endpoint when omitted. */
  endpoint?: string;
}

const errors: ProtocolErrors = {
  unknownOperation: (op) => new AwsError('UnknownOperationException', `Unknown operation ${op}`),
  validationCode: 'ValidationException',
  accessDenied: (message) => new AwsError('AccessDeniedException', message),
};

/**
 * One service calling another inside the server (a pipeline's role starting a build, a function's
 * destination sending to a queue): the same road as a request from outside (model validation,
 * IAM as the calling principal, the handler) without HTTP in between. Senders name the receiving
 * service and operation; they never import it. Services are bound once the server has built them
 * all, so a service may hold the client from its factory and call any other at run time.
 */
export class InternalClient {
  private services = new Map<string, ServiceDefinition>();
  private authorize: Authorizer = allowAll;
  private endpoint = () => '';

  bind(services: readonly ServiceDefinition[], authorize: Authorizer, endpoint: () => string): void {
    for (const s of services) this.services.set(s.name, s);
    this.authorize = authorize;
    this.endpoint = endpoint;
  }

  /** The server's own base URL (empty until it listens), for links a service hands out outside a request (SNS's certificate URL). */
  baseUrl(): string {
    return this.endpoint();
  }

  has(service: string): boolean {
    return this.services.has(service);
  }

  async call<O = Record<string, unknown>>(service: string, operation: string, input: object, as: InternalCallAs): Promise<O> {
    const definition = this.services.get(service);
    if (!definition) throw new AwsError('ServiceUnavailable', `codesuite does not serve ${service}.`, 503);
    const ctx: RequestContext = {
      requestId: randomUUID(),
      accountId: as.caller.accountId,
      region: as.region,
      accessKeyId: as.caller.accessKeyId,
      caller: as.caller,
      principalArn: as.caller.arn,
      endpoint: as.endpoint ?? this.endpoint(),
      sourceIp: '127.0.0.1',
    };
    return (await dispatch(definition, operation, input, ctx, errors, this.authorize)) as O;
  }
}
