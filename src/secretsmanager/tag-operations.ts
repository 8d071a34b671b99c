import type { TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-secrets-manager';
import { operation, type OperationSpec } from '../core/service.js';
import { requestTagKeys, secretIam } from './iam.js';
import { tagList } from './secret-operations.js';
import type { Secrets } from './secrets.js';

export function tagOperations(secrets: Secrets): Record<string, OperationSpec> {
  return {
    TagResource: operation<TagResourceRequest, object>({
      iam: secretIam(secrets, 'secretsmanager:TagResource', (i) => requestTagKeys(i.Tags)),
      handler: (input, ctx) => {
        const secret = secrets.requireLive(ctx, input.SecretId!);
        secrets.store.transaction(() => secrets.store.putTags(secret.id, tagList(input.Tags)));
        return {};
      },
    }),

    UntagResource: operation<UntagResourceRequest, object>({
      iam: secretIam(secrets, 'secretsmanager:UntagResource', (i) => ({ 'aws:TagKeys': i.TagKeys ?? [] })),
      handler: (input, ctx) => {
        const secret = secrets.requireLive(ctx, input.SecretId!);
        secrets.store.transaction(() => secrets.store.removeTags(secret.id, input.TagKeys!));
        return {};
      },
    }),
  };
}
