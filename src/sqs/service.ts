import type { ServiceDeps } from '../core/deps.js';
import { loadModel, type ServiceModel } from '../core/models/model.js';
import type { Violation } from '../core/models/validate.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { batchOperations } from './batch-operations.js';
import { invalidParameterValue, missingParameter, queryErrorCode } from './errors.js';
import { messageOperations } from './message-operations.js';
import { migrations } from './migrations.js';
import { moveTaskOperations } from './move-tasks.js';
import { queueOperations } from './queue-operations.js';
import { queueReceiver } from './receiver.js';
import { Sqs } from './sqs.js';
import { tagOperations } from './tag-operations.js';

/** SQS answers bad input with its own codes, not a generic validation error. */
function validationError(_operation: string, violations: Violation[]) {
  const first = violations[0];
  if (first.constraint === 'required') return missingParameter(first.member);
  return invalidParameterValue(first.text);
}

/**
 * The model types ReceiveMessage's deprecated `AttributeNames` as queue attribute names, but SQS
 * takes message system attribute names there (`SenderId`, `ApproximateReceiveCount`), as older
 * clients send them: validated as the list that replaced it.
 */
function sqsModel(): ServiceModel {
  const model = structuredClone(loadModel('sqs'));
  model.shapes.ReceiveMessageRequest.members!.AttributeNames = { shape: 'MessageSystemAttributeList' };
  return model;
}

/**
 * Amazon SQS: AWS JSON 1.0 (`AmazonSQS.*`), as current SDKs and CLIs send it, and the Query
 * protocol (`Action=SendMessage&...`), as older ones do, on the same queues.
 */
export function createSqs(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'sqs', migrations);
  const sqs = new Sqs(deps);
  deps.delivery.register(queueReceiver(sqs));
  return {
    name: 'sqs',
    model: sqsModel(),
    operations: {
      ...queueOperations(sqs),
      ...messageOperations(sqs),
      ...batchOperations(sqs),
      ...tagOperations(sqs),
      ...moveTaskOperations(sqs),
    },
    validationError,
    queryCompatible: {
      model: loadModel('sqs-query'),
      errorCode: queryErrorCode,
      // Older SDKs post to the queue URL itself and leave QueueUrl out of the form.
      pathParams: (path, params, endpoint) => {
        if (!params.has('QueueUrl') && /^\/\d{12}\/[^/]+\/?$/.test(path)) params.set('QueueUrl', `${endpoint}${path.replace(/\/$/, '')}`);
      },
    },
    // Long polls answer (empty) as soon as the server starts to stop, rather than holding it up.
    routes: (app) => app.addHook('preClose', async () => sqs.close()),
    close: () => sqs.close(),
  };
}
