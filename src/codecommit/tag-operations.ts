import type { ListTagsForResourceInput, ListTagsForResourceOutput, TagResourceInput, UntagResourceInput } from '@aws-sdk/client-codecommit';
import { operation, type OperationSpec } from '../core/service.js';
import { parseRepositoryArn } from './arns.js';
import { inputError, invalidSystemTagUsage, repositoryDoesNotExist } from './errors.js';
import { page } from './pagination.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';
import { checkTags } from './tag-rules.js';

export function tagOperations(repos: Repositories): Record<string, OperationSpec> {
  /** Tags address a repository by ARN, which names its region and account itself. */
  function byArn(arn: string): RepositoryRecord {
    const parts = parseRepositoryArn(arn);
    if (!parts) throw inputError('InvalidResourceArnException');
    const repo = repos.find(parts, parts.name);
    if (!repo) throw repositoryDoesNotExist(parts.name);
    return repo;
  }
  const resource = (i: { resourceArn?: string }) => i.resourceArn ?? '';

  return {
    TagResource: operation<TagResourceInput, object>({
      iam: { action: 'codecommit:TagResource', resource },
      handler: (input) => {
        const repo = byArn(input.resourceArn!);
        checkTags(repos.store.tags(repo.id), input.tags!);
        repos.store.putTags(repo.id, input.tags!);
        return {};
      },
    }),

    UntagResource: operation<UntagResourceInput, object>({
      iam: { action: 'codecommit:UntagResource', resource },
      handler: (input) => {
        const repo = byArn(input.resourceArn!);
        if (input.tagKeys!.length === 0) throw inputError('TagKeysListRequiredException');
        if (input.tagKeys!.some((k) => k.toLowerCase().startsWith('aws:'))) throw invalidSystemTagUsage();
        repos.store.removeTags(repo.id, input.tagKeys!);
        return {};
      },
    }),

    ListTagsForResource: operation<ListTagsForResourceInput, ListTagsForResourceOutput>({
      iam: { action: 'codecommit:ListTagsForResource', resource },
      handler: (input) => {
        const repo = byArn(input.resourceArn!);
        const { items, nextToken } = page(Object.entries(repos.store.tags(repo.id)), input.nextToken, 1000);
        return { tags: Object.fromEntries(items), nextToken };
      },
    }),
  };
}
