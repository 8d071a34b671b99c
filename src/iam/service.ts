import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { accessKeyOperations } from './api/access-keys.js';
import { accountDetailsOperations } from './api/account-details.js';
import { attachmentOperations } from './api/attachments.js';
import { groupOperations } from './api/groups.js';
import { inlinePolicyOperations } from './api/inline-policies.js';
import { migrations } from './api/migrations.js';
import { permissionsBoundaryOperations } from './api/permissions-boundaries.js';
import { policyOperations } from './api/policies.js';
import { roleOperations } from './api/roles.js';
import { serviceCredentialOperations } from './api/service-credentials.js';
import { IamStore } from './api/store.js';
import { tagOperations } from './api/tags.js';
import { userOperations } from './api/users.js';

/** IAM over the AWS Query protocol: global per account, so the request's region plays no part. */
export function createIam(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'iam', migrations);
  const store = new IamStore(deps.db, deps.clock);
  return {
    name: 'iam',
    model: loadModel('iam'),
    operations: {
      ...userOperations(store),
      ...groupOperations(store),
      ...roleOperations(store),
      ...policyOperations(store),
      ...inlinePolicyOperations(store),
      ...attachmentOperations(store),
      ...permissionsBoundaryOperations(store),
      ...tagOperations(store),
      ...accessKeyOperations(store),
      ...serviceCredentialOperations(store),
      ...accountDetailsOperations(store),
    },
  };
}
