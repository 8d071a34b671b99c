import { rootCaller, type CallerIdentity } from '../core/context.js';
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
import { IamDirectory } from './api/principal-policies.js';
import { policyOperations } from './api/policies.js';
import { roleOperations } from './api/roles.js';
import { serviceCredentialOperations } from './api/service-credentials.js';
import { simulationOperations } from './api/simulation.js';
import { IamStore } from './api/store.js';
import { tagOperations } from './api/tags.js';
import { userOperations } from './api/users.js';

/** IAM over the AWS Query protocol: global per account, so the request's region plays no part. */
export function createIam(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'iam', migrations);
  const store = new IamStore(deps.db, deps.clock);
  const directory = new IamDirectory(deps.db, deps.clock);
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
      ...simulationOperations(store),
    },
    // An access key IAM issued is its user's (or the root's), whether Active or Inactive: refusing
    // an Inactive key is authentication's decision.
    lookupCredential: (accessKeyId) => {
      const key = accessKeyId.startsWith('AKIA') ? directory.findAccessKey(accessKeyId) : undefined;
      if (!key) return undefined;
      const caller: CallerIdentity = key.userName
        ? { type: 'user', arn: key.principalArn, accountId: key.accountId, userId: key.userId!, userName: key.userName, accessKeyId }
        : { ...rootCaller(key.accountId), accessKeyId };
      return { caller, secret: key.secret, active: key.status === 'Active' };
    },
    lookupGitCredential: (userName) => {
      const credential = directory.findServiceCredential(userName);
      if (!credential || credential.serviceName !== 'codecommit.amazonaws.com') return undefined;
      const caller: CallerIdentity = {
        type: 'user',
        arn: credential.principalArn,
        accountId: credential.accountId,
        userId: credential.userId,
        userName: credential.userName,
      };
      return { caller, password: credential.password, active: credential.status === 'Active' };
    },
  };
}
