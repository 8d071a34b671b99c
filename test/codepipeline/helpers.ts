import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  type ActionDeclaration,
  type PipelineDeclaration,
  type PipelineExecution,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export const ACCOUNT = '000000000000';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/pipeline-role`;

export const pipelines = (server: RunningServer) => new CodePipelineClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
export const s3 = (server: RunningServer) => new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });

/** The pipeline role and the artifact store bucket every test pipeline uses. */
export async function prepareAccount(server: RunningServer, bucket = 'pipeline-artifacts'): Promise<void> {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials }).send(
    new CreateRoleCommand({ RoleName: 'pipeline-role', AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  await s3(server).send(new CreateBucketCommand({ Bucket: bucket }));
}

export const codeCommitSource = (repositoryName: string, extra: Partial<ActionDeclaration> = {}): ActionDeclaration => ({
  name: 'Source',
  actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
  configuration: { RepositoryName: repositoryName, BranchName: 'main' },
  outputArtifacts: [{ name: 'SourceOutput' }],
  namespace: 'SourceVariables',
  ...extra,
});

export const approval = (name = 'Approve'): ActionDeclaration => ({
  name,
  actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
});

export const s3Deploy = (bucket: string, objectKey: string, input = 'SourceOutput'): ActionDeclaration => ({
  name: 'DeployToS3',
  actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
  configuration: { BucketName: bucket, Extract: 'true', ObjectKey: objectKey },
  inputArtifacts: [{ name: input }],
});

export function declaration(name: string, stages: PipelineDeclaration['stages'], extra: Partial<PipelineDeclaration> = {}): PipelineDeclaration {
  return { name, roleArn: ROLE_ARN, artifactStore: { type: 'S3', location: 'pipeline-artifacts' }, stages, ...extra };
}

/** Waits (polling) until `check` returns a value; fails with the last state seen after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const execution = (client: CodePipelineClient, pipelineName: string, pipelineExecutionId: string) =>
  client.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId })).then((r) => r.pipelineExecution!);

export const waitForStatus = (client: CodePipelineClient, name: string, id: string, statuses: string[], timeoutMs?: number): Promise<PipelineExecution> =>
  until(`execution ${id} reaching ${statuses.join('/')}`, () => execution(client, name, id), (e) => statuses.includes(e.status!), timeoutMs);

export const stageStates = (client: CodePipelineClient, name: string): Promise<StageState[]> =>
  client.send(new GetPipelineStateCommand({ name })).then((r) => r.stageStates!);

/** The approval token of the action once it waits. */
export async function approvalToken(client: CodePipelineClient, name: string, stage: string, action = 'Approve', executionId?: string): Promise<string> {
  const states = await until(
    `approval ${stage}/${action} waiting`,
    () => stageStates(client, name),
    (s) => {
      const st = s.find((x) => x.stageName === stage);
      return !!st?.actionStates?.find((a) => a.actionName === action)?.latestExecution?.token && (!executionId || st?.latestExecution?.pipelineExecutionId === executionId);
    },
  );
  return states.find((x) => x.stageName === stage)!.actionStates!.find((a) => a.actionName === action)!.latestExecution!.token!;
}

export const executionIds = (client: CodePipelineClient, pipelineName: string) =>
  client.send(new ListPipelineExecutionsCommand({ pipelineName })).then((r) => r.pipelineExecutionSummaries!);
