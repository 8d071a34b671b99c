import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { OperationSpec, ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { lowerCamelCase } from '../core/models/validate.js';
import { registerSecrets } from './internal.js';
import { listOperations } from './list-secrets.js';
import { migrations } from './migrations.js';
import { secretOperations } from './secret-operations.js';
import { Secrets } from './secrets.js';
import { tagOperations } from './tag-operations.js';
import { valueOperations } from './value-operations.js';

/** AWS Secrets Manager (AWS JSON 1.1, `secretsmanager`). */
export function createSecretsManager(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'secretsmanager', migrations);
  const model = loadModel('secretsmanager');
  const secrets = new Secrets(deps);
  registerSecrets(deps.db, secrets);
  const operations: Record<string, OperationSpec> = {
    ...secretOperations(secrets),
    ...valueOperations(secrets),
    ...listOperations(secrets),
    ...tagOperations(secrets),
  };
  // Recovery windows end by the injected clock before any operation looks.
  for (const spec of Object.values(operations)) {
    const handler = spec.handler;
    spec.handler = (input, ctx) => {
      secrets.purge();
      return handler(input, ctx);
    };
  }
  return { name: 'secretsmanager', model, operations, validationMemberName: lowerCamelCase };
}
