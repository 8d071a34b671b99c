import type {
  DeleteSourceCredentialsInput,
  DeleteSourceCredentialsOutput,
  ImportSourceCredentialsInput,
  ImportSourceCredentialsOutput,
  ListSourceCredentialsInput,
  ListSourceCredentialsOutput,
} from '@aws-sdk/client-codebuild';
import { operation, type OperationSpec } from '../core/service.js';
import { sourceCredentialsArn } from './arns.js';
import type { CodeBuildContext } from './context.js';
import { alreadyExists, invalidInput, resourceNotFound } from './errors.js';

/**
 * Source provider credentials (GitHub, Bitbucket, GitLab tokens): stored and listed, never
 * shown again, and never used, since builds reach no provider outside codesuite.
 */
export function sourceCredentialOperations(c: CodeBuildContext): Record<string, OperationSpec> {
  return {
    ImportSourceCredentials: operation<ImportSourceCredentialsInput, ImportSourceCredentialsOutput>({
      iam: { action: 'codebuild:ImportSourceCredentials', resource: () => '*' },
      handler: (input, ctx) => {
        if (input.authType === 'BASIC_AUTH' && !input.username) throw invalidInput('Invalid input: username must be specified for BASIC_AUTH');
        const arn = sourceCredentialsArn(ctx, input.serverType!);
        const exists = c.store.sourceCredentials(ctx).some((r) => r.arn === arn);
        if (exists && input.shouldOverwrite === false) throw alreadyExists(`Source credentials already exist for server type ${input.serverType}: ${arn}`);
        c.store.putSourceCredentials(ctx, { arn, serverType: input.serverType!, authType: input.authType!, username: input.username, token: input.token! }, c.now());
        return { arn };
      },
    }),

    ListSourceCredentials: operation<ListSourceCredentialsInput, ListSourceCredentialsOutput>({
      iam: { action: 'codebuild:ListSourceCredentials', resource: () => '*' },
      handler: (_input, ctx) => ({
        sourceCredentialsInfos: c.store.sourceCredentials(ctx).map((r) => ({
          arn: r.arn,
          serverType: r.server_type as 'GITHUB',
          authType: r.auth_type as 'OAUTH',
          ...(r.username ? { resource: r.username } : {}),
        })),
      }),
    }),

    DeleteSourceCredentials: operation<DeleteSourceCredentialsInput, DeleteSourceCredentialsOutput>({
      iam: { action: 'codebuild:DeleteSourceCredentials', resource: (i) => i.arn ?? '*' },
      handler: (input) => {
        if (!c.store.deleteSourceCredentials(input.arn!)) throw resourceNotFound(`Source credentials not found: ${input.arn}`);
        return { arn: input.arn };
      },
    }),
  };
}
