import { AwsError } from './errors.js';
import { loadModel, vendoredModelNames } from './models/model.js';
import type { ServiceDefinition } from './service.js';

/** How a request named its service: a JSON target prefix and/or its SigV4 signing name. */
export interface ServiceNaming {
  targetPrefix?: string;
  signingName?: string;
}

/**
 * The error for a request addressed to a service this server does not mount. It names the service
 * (by its AWS name when a vendored model knows it) and the ones that are served, so a user who
 * points a client at codesuite learns what is missing instead of reading an empty message.
 */
export function unservedService(code: string, naming: ServiceNaming, mounted: readonly ServiceDefinition[]): AwsError {
  const known = vendoredServiceId(naming);
  const name = known ?? naming.targetPrefix ?? naming.signingName ?? 'unknown';
  const served = mounted.map((s) => s.model.metadata.serviceId).join(', ');
  return new AwsError(code, `codesuite does not serve the ${name} service; it serves ${served}.`);
}

function vendoredServiceId({ targetPrefix, signingName }: ServiceNaming): string | undefined {
  for (const name of vendoredModelNames()) {
    const { metadata } = loadModel(name);
    if (targetPrefix !== undefined ? metadata.targetPrefix === targetPrefix : (metadata.signingName ?? metadata.endpointPrefix) === signingName) {
      return metadata.serviceId;
    }
  }
  return undefined;
}
