import type {
  DeleteGitHubAccountTokenInput,
  DeleteResourcesByExternalIdInput,
  ListGitHubAccountTokenNamesInput,
  ListGitHubAccountTokenNamesOutput,
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  TagResourceInput,
  UntagResourceInput,
} from '@aws-sdk/client-codedeploy';
import { operation, type OperationSpec } from '../core/service.js';
import { parseCodeDeployArn } from './arns.js';
import { findConfig } from './configs.js';
import { iam, type CodeDeployContext } from './context.js';
import { applicationNotFound, cdError, configNotFound, groupNotFound } from './errors.js';

const MAX_TAGS = 50;

export function tagOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  /** The ARN of a resource that exists, or the error AWS names for it. */
  const existing = (arn: string | undefined): string => {
    if (!arn) throw cdError('ResourceArnRequiredException', 'The ARN of a resource is required, but was not found.');
    const parsed = parseCodeDeployArn(arn);
    if (!parsed) throw cdError('InvalidArnException', 'The specified ARN is not in a valid format.');
    const { scope, type, name } = parsed;
    if (type === 'application' && !c.store.application(scope, name)) throw applicationNotFound(name);
    if (type === 'deploymentgroup') {
      const [app, group] = name.split('/');
      if (!c.store.application(scope, app)) throw applicationNotFound(app);
      if (!group || !c.store.group(scope, app, group)) throw groupNotFound(group ?? '');
    }
    if (type === 'deploymentconfig') {
      if (name.startsWith('CodeDeployDefault.')) throw cdError('ArnNotSupportedException', 'The specified ARN is not supported. For example, it might be an ARN for a resource that is not expected.');
      if (!findConfig(c.store, scope, name)) throw configNotFound(name);
    }
    return arn;
  };

  return {
    TagResource: operation<TagResourceInput, Record<string, never>>({
      iam: iam('TagResource', (input) => input.ResourceArn ?? '*'),
      handler: (input) => {
        const arn = existing(input.ResourceArn);
        if (!input.Tags?.length) throw cdError('TagRequiredException', 'A tag was not specified.');
        const keys = new Set([...c.store.tags(arn).map((t) => t.Key), ...input.Tags.map((t) => t.Key)]);
        if (keys.size > MAX_TAGS) throw cdError('InvalidTagsToAddException', `The specified tags are not valid: a resource can have at most ${MAX_TAGS} tags.`);
        c.store.putTags(arn, input.Tags);
        return {};
      },
    }),

    UntagResource: operation<UntagResourceInput, Record<string, never>>({
      iam: iam('UntagResource', (input) => input.ResourceArn ?? '*'),
      handler: (input) => {
        const arn = existing(input.ResourceArn);
        if (!input.TagKeys?.length) throw cdError('TagRequiredException', 'A tag was not specified.');
        c.store.removeTags(arn, input.TagKeys);
        return {};
      },
    }),

    ListTagsForResource: operation<ListTagsForResourceInput, ListTagsForResourceOutput>({
      iam: iam('ListTagsForResource', (input) => input.ResourceArn ?? '*'),
      handler: (input) => ({ Tags: c.store.tags(existing(input.ResourceArn)) }),
    }),

    // codesuite connects to no GitHub account: revisions of type GitHub resolve against its own repositories.
    ListGitHubAccountTokenNames: operation<ListGitHubAccountTokenNamesInput, ListGitHubAccountTokenNamesOutput>({
      iam: iam('ListGitHubAccountTokenNames'),
      handler: () => ({ tokenNameList: [] }),
    }),

    DeleteGitHubAccountToken: operation<DeleteGitHubAccountTokenInput, Record<string, never>>({
      iam: iam('DeleteGitHubAccountToken'),
      handler: (input) => {
        if (!input.tokenName) throw cdError('GitHubAccountTokenNameRequiredException', 'The call is missing a required GitHub account connection name.');
        throw cdError('GitHubAccountTokenDoesNotExistException', 'No GitHub account connection exists with the named specified in the call.');
      },
    }),

    // Deployments record no external id (CloudFormation blue/green hooks set one), so none match.
    DeleteResourcesByExternalId: operation<DeleteResourcesByExternalIdInput, Record<string, never>>({
      iam: iam('DeleteResourcesByExternalId'),
      handler: () => ({}),
    }),
  };
}
