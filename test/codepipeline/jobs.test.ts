import {
  AcknowledgeJobCommand,
  CreateCustomActionTypeCommand,
  CreatePipelineCommand,
  GetJobDetailsCommand,
  ListActionExecutionsCommand,
  ListActionTypesCommand,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  type Job,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { pushRepository } from '../codebuild/helpers.js';
import { tempDir } from '../helpers/git.js';
import { awsError, testServer } from '../helpers/server.js';
import { codeCommitSource, declaration, executionIds, pipelines, prepareAccount, s3, until, waitForStatus } from './helpers.js';

let server: RunningServer;
const work = tempDir('codepipeline-jobs-');
beforeAll(async () => {
  server = await testServer();
  await prepareAccount(server);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

const typeId = { category: 'Build' as const, owner: 'Custom' as const, provider: 'Worker', version: '1' };

describe('CodePipeline custom actions and job workers', () => {
  it('hands a job to a polling worker, which completes it with a continuation token and then output variables', async () => {
    const client = pipelines(server);
    await client.send(
      new CreateCustomActionTypeCommand({
        ...typeId,
        settings: { entityUrlTemplate: 'https://ci.example/{Config:Queue}' },
        configurationProperties: [{ name: 'Queue', required: true, key: true, secret: false, queryable: true, type: 'String' }],
        inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
      }),
    );
    const types = (await client.send(new ListActionTypesCommand({ actionOwnerFilter: 'Custom' }))).actionTypes!;
    expect(types.map((t) => t.id)).toEqual([typeId]);

    await pushRepository(server, 'jobs', { 'a.txt': 'payload' }, work.path);
    await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('jobs', [
          { name: 'Source', actions: [codeCommitSource('jobs')] },
          { name: 'Work', actions: [{ name: 'Ext', actionTypeId: typeId, configuration: { Queue: 'q1' }, inputArtifacts: [{ name: 'SourceOutput' }], namespace: 'Ext' }] },
        ]),
      }),
    );
    expect(await awsError(client.send(new PollForJobsCommand({ actionTypeId: { ...typeId, provider: 'Nope' } })))).toMatchObject({
      name: 'ActionTypeNotFoundException',
      message: "ActionType (Category: 'Build', Owner: 'Custom', Provider: 'Nope', Version: '1') is not available",
    });
    const poll = async (): Promise<Job> =>
      (await until('a job', () => client.send(new PollForJobsCommand({ actionTypeId: typeId, maxBatchSize: 1, queryParam: { Queue: 'q1' } })), (r) => (r.jobs ?? []).length > 0)).jobs![0];
    const first = await poll();
    expect(first.data!.pipelineContext).toMatchObject({ pipelineName: 'jobs', stage: { name: 'Work' }, action: { name: 'Ext' } });
    expect(first.data!.actionConfiguration!.configuration).toEqual({ Queue: 'q1' });
    expect(first.data!.artifactCredentials!.accessKeyId).toMatch(/^(ASIA|AKIA)/);
    expect(await awsError(client.send(new AcknowledgeJobCommand({ jobId: first.id, nonce: 'wrong' })))).toMatchObject({ name: 'InvalidNonceException' });
    expect((await client.send(new AcknowledgeJobCommand({ jobId: first.id, nonce: first.nonce }))).status).toBe('InProgress');

    // The worker reads its input artifact with the job's own credentials.
    const input = first.data!.inputArtifacts![0].location!.s3Location!;
    const creds = first.data!.artifactCredentials!;
    const { S3Client } = await import('@aws-sdk/client-s3');
    const workerS3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: creds.accessKeyId!, secretAccessKey: creds.secretAccessKey!, sessionToken: creds.sessionToken } });
    const zip = await workerS3.send(new GetObjectCommand({ Bucket: input.bucketName, Key: input.objectKey }));
    expect((await zip.Body!.transformToByteArray()).length).toBeGreaterThan(0);

    await client.send(new PutJobSuccessResultCommand({ jobId: first.id, continuationToken: 'step-2', executionDetails: { summary: 'half way', percentComplete: 50 } }));
    const second = await poll();
    expect(second.id).not.toBe(first.id);
    expect(second.data!.continuationToken).toBe('step-2');
    expect((await client.send(new GetJobDetailsCommand({ jobId: second.id }))).jobDetails!.data!.continuationToken).toBe('step-2');
    await client.send(new AcknowledgeJobCommand({ jobId: second.id, nonce: second.nonce }));
    await client.send(new PutJobSuccessResultCommand({ jobId: second.id, outputVariables: { Result: 'done' }, executionDetails: { summary: 'finished', externalExecutionId: 'ext-1' } }));

    const [e] = await executionIds(client, 'jobs');
    expect((await waitForStatus(client, 'jobs', e.pipelineExecutionId!, ['Succeeded', 'Failed'])).status).toBe('Succeeded');
    const ext = (await client.send(new ListActionExecutionsCommand({ pipelineName: 'jobs' }))).actionExecutionDetails!.find((a) => a.actionName === 'Ext')!;
    expect(ext.output).toMatchObject({ outputVariables: { Result: 'done' }, executionResult: { externalExecutionId: 'ext-1', externalExecutionSummary: 'finished' } });
    expect(await awsError(client.send(new PutJobSuccessResultCommand({ jobId: second.id })))).toMatchObject({ name: 'InvalidJobStateException' });
  });

  it('fails the action with the worker\'s failure details', async () => {
    const client = pipelines(server);
    await pushRepository(server, 'jobfail', { 'a.txt': 'x' }, work.path);
    await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('jobfail', [
          { name: 'Source', actions: [codeCommitSource('jobfail')] },
          { name: 'Work', actions: [{ name: 'Ext', actionTypeId: typeId, configuration: { Queue: 'q2' }, inputArtifacts: [{ name: 'SourceOutput' }] }] },
        ]),
      }),
    );
    const job = (await until('a job', () => client.send(new PollForJobsCommand({ actionTypeId: typeId, queryParam: { Queue: 'q2' } })), (r) => (r.jobs ?? []).length > 0)).jobs![0];
    await client.send(new PutJobFailureResultCommand({ jobId: job.id, failureDetails: { type: 'JobFailed', message: 'worker said no' } }));
    const [e] = await executionIds(client, 'jobfail');
    expect((await waitForStatus(client, 'jobfail', e.pipelineExecutionId!, ['Succeeded', 'Failed'])).status).toBe('Failed');
    const ext = (await client.send(new ListActionExecutionsCommand({ pipelineName: 'jobfail' }))).actionExecutionDetails!.find((a) => a.actionName === 'Ext')!;
    expect(ext.output!.executionResult!.errorDetails).toEqual({ code: 'JobFailed', message: 'worker said no' });
  });
});
