import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { OperationSpec, ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { deleteOperations } from './delete-operations.js';
import { describeOperations } from './describe-parameters.js';
import { registerParameters } from './internal.js';
import { labelOperations } from './label-operations.js';
import { migrations } from './migrations.js';
import { Parameters } from './parameters.js';
import { putOperations } from './put-parameter.js';
import { readOperations } from './read-operations.js';
import { tagOperations } from './tag-operations.js';
import { lowerCamelCase } from '../core/models/validate.js';

/** SSM Parameter Store (AWS JSON 1.1, `AmazonSSM`). */
export function createSsm(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'ssm', migrations);
  const model = loadModel('ssm');
  const params = new Parameters(deps);
  registerParameters(deps.db, params);
  const operations: Record<string, OperationSpec> = {
    ...putOperations(params),
    ...readOperations(params),
    ...describeOperations(params),
    ...labelOperations(params),
    ...deleteOperations(params),
    ...tagOperations(params),
  };
  // Expiration policies take effect by the injected clock before any operation looks.
  for (const spec of Object.values(operations)) {
    const handler = spec.handler;
    spec.handler = (input, ctx) => {
      params.expire();
      return handler(input, ctx);
    };
  }
  return { name: 'ssm', model, operations, validationMemberName: lowerCamelCase };
}
