import {
  BatchGetProjectsCommand,
  CreateProjectCommand,
  CreateReportGroupCommand,
  DeleteProjectCommand,
  DeleteReportGroupCommand,
  DeleteResourcePolicyCommand,
  DeleteSourceCredentialsCommand,
  GetResourcePolicyCommand,
  ImportSourceCredentialsCommand,
  ListBuildsForProjectCommand,
  ListCuratedEnvironmentImagesCommand,
  ListProjectsCommand,
  ListReportGroupsCommand,
  ListSourceCredentialsCommand,
  PutResourcePolicyCommand,
  StartBuildCommand,
  StopBuildCommand,
  UpdateProjectCommand,
  UpdateReportGroupCommand,
  BatchGetReportGroupsCommand,
  type CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { codebuild, ROLE } from './helpers.js';

let server: RunningServer;
let cb: CodeBuildClient;

const base = {
  source: { type: 'NO_SOURCE' as const, buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n' },
  artifacts: { type: 'NO_ARTIFACTS' as const },
  environment: { type: 'LINUX_CONTAINER' as const, image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' as const },
  serviceRole: ROLE,
};

beforeAll(async () => {
  server = await testServer({ buildExecutor: 'local' });
  cb = codebuild(server);
});
afterAll(async () => {
  await server.stop();
});

describe('CodeBuild projects', () => {
  it('creates a project with the defaults AWS fills in, and refuses a second one of the same name', async () => {
    const { project } = await cb.send(new CreateProjectCommand({ name: 'alpha', ...base, tags: [{ key: 'team', value: 'a' }] }));
    expect(project).toMatchObject({
      name: 'alpha',
      arn: 'arn:aws:codebuild:us-east-1:000000000000:project/alpha',
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      serviceRole: ROLE,
      cache: { type: 'NO_CACHE' },
      encryptionKey: 'arn:aws:kms:us-east-1:000000000000:alias/aws/s3',
      environment: { privilegedMode: false, imagePullCredentialsType: 'CODEBUILD', environmentVariables: [] },
      logsConfig: { cloudWatchLogs: { status: 'ENABLED' }, s3Logs: { status: 'DISABLED', encryptionDisabled: false } },
      badge: { badgeEnabled: false },
      tags: [{ key: 'team', value: 'a' }],
    });
    expect(project!.created).toBeInstanceOf(Date);
    const again = await awsError(cb.send(new CreateProjectCommand({ name: 'alpha', ...base })));
    expect(again).toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'Project already exists: arn:aws:codebuild:us-east-1:000000000000:project/alpha' });
  });

  it('validates input the way CodeBuild does', async () => {
    expect((await awsError(cb.send(new CreateProjectCommand({ name: 'x', ...base })))).name).toBe('ValidationException');
    expect(
      await awsError(cb.send(new CreateProjectCommand({ name: 'no-buildspec', ...base, source: { type: 'NO_SOURCE' } }))),
    ).toMatchObject({ name: 'InvalidInputException' });
    expect(
      await awsError(
        cb.send(new CreateProjectCommand({ name: 'reserved', ...base, environment: { ...base.environment, environmentVariables: [{ name: 'CODEBUILD_X', value: '1' }] } })),
      ),
    ).toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('CODEBUILD_') });
    expect(
      await awsError(cb.send(new CreateProjectCommand({ name: 'bad-secondary', ...base, secondarySources: [{ type: 'S3', location: 'b/k.zip', sourceIdentifier: 'has space' }] }))),
    ).toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('identifier must contain only alphanumeric characters') });
    expect(await awsError(cb.send(new CreateProjectCommand({ name: 's3-art', ...base, artifacts: { type: 'S3' } })))).toMatchObject({ name: 'InvalidInputException' });
  });

  it('gets, lists, updates and deletes projects', async () => {
    await cb.send(new CreateProjectCommand({ name: 'beta', ...base, description: 'second' }));
    const got = await cb.send(new BatchGetProjectsCommand({ names: ['beta', 'arn:aws:codebuild:us-east-1:000000000000:project/alpha', 'nope'] }));
    expect(got.projects!.map((p) => p.name)).toEqual(['beta', 'alpha']);
    expect(got.projectsNotFound).toEqual(['nope']);

    expect((await cb.send(new ListProjectsCommand({}))).projects).toEqual(['alpha', 'beta']);
    expect((await cb.send(new ListProjectsCommand({ sortBy: 'NAME', sortOrder: 'DESCENDING' }))).projects).toEqual(['beta', 'alpha']);

    const { project } = await cb.send(new UpdateProjectCommand({ name: 'beta', timeoutInMinutes: 15, concurrentBuildLimit: 2 }));
    expect(project).toMatchObject({ name: 'beta', description: 'second', timeoutInMinutes: 15, concurrentBuildLimit: 2 });
    expect(project!.lastModified!.getTime()).toBeGreaterThanOrEqual(project!.created!.getTime());
    expect(await awsError(cb.send(new UpdateProjectCommand({ name: 'ghost', timeoutInMinutes: 10 })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Project cannot be found: arn:aws:codebuild:us-east-1:000000000000:project/ghost',
    });

    await cb.send(new DeleteProjectCommand({ name: 'beta' }));
    expect((await cb.send(new BatchGetProjectsCommand({ names: ['beta'] }))).projectsNotFound).toEqual(['beta']);
    expect(await awsError(cb.send(new ListBuildsForProjectCommand({ projectName: 'beta' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses to start builds of unknown projects and to stop unknown builds', async () => {
    expect(await awsError(cb.send(new StartBuildCommand({ projectName: 'ghost' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Project cannot be found: arn:aws:codebuild:us-east-1:000000000000:project/ghost',
    });
    expect(await awsError(cb.send(new StopBuildCommand({ id: 'alpha:00000000-0000-0000-0000-000000000000' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await awsError(cb.send(new StopBuildCommand({ id: 'garbage' })))).toMatchObject({ name: 'InvalidInputException', message: 'Invalid build ID provided' });
  });

  it('lists curated images', async () => {
    const { platforms } = await cb.send(new ListCuratedEnvironmentImagesCommand({}));
    expect(platforms!.flatMap((p) => p.languages!.flatMap((l) => l.images!.map((i) => i.name)))).toContain('aws/codebuild/standard:7.0');
  });

  it('keeps resource policies of projects and report groups', async () => {
    const arn = 'arn:aws:codebuild:us-east-1:000000000000:project/alpha';
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: ['codebuild:BatchGetProjects'], Resource: arn }] });
    expect(await cb.send(new PutResourcePolicyCommand({ resourceArn: arn, policy }))).toMatchObject({ resourceArn: arn });
    expect((await cb.send(new GetResourcePolicyCommand({ resourceArn: arn }))).policy).toBe(policy);
    await cb.send(new DeleteResourcePolicyCommand({ resourceArn: arn }));
    expect(await awsError(cb.send(new GetResourcePolicyCommand({ resourceArn: arn })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await awsError(cb.send(new PutResourcePolicyCommand({ resourceArn: `${arn}-missing`, policy })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('manages report groups', async () => {
    const { reportGroup } = await cb.send(new CreateReportGroupCommand({ name: 'unit', type: 'TEST', exportConfig: { exportConfigType: 'NO_EXPORT' } }));
    expect(reportGroup).toMatchObject({ arn: 'arn:aws:codebuild:us-east-1:000000000000:report-group/unit', name: 'unit', type: 'TEST', status: 'ACTIVE' });
    expect(await awsError(cb.send(new CreateReportGroupCommand({ name: 'unit', type: 'TEST', exportConfig: { exportConfigType: 'NO_EXPORT' } })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    const updated = await cb.send(new UpdateReportGroupCommand({ arn: reportGroup!.arn, tags: [{ key: 'k', value: 'v' }] }));
    expect(updated.reportGroup!.tags).toEqual([{ key: 'k', value: 'v' }]);
    expect((await cb.send(new ListReportGroupsCommand({}))).reportGroups).toContain(reportGroup!.arn);
    await cb.send(new DeleteReportGroupCommand({ arn: reportGroup!.arn }));
    expect((await cb.send(new BatchGetReportGroupsCommand({ reportGroupArns: [reportGroup!.arn!] }))).reportGroupsNotFound).toEqual([reportGroup!.arn]);
  });

  it('stores source credentials without ever returning the token', async () => {
    const { arn } = await cb.send(new ImportSourceCredentialsCommand({ token: 'ghp_secret', serverType: 'GITHUB', authType: 'PERSONAL_ACCESS_TOKEN' }));
    expect(arn).toBe('arn:aws:codebuild:us-east-1:000000000000:token/github');
    const { sourceCredentialsInfos } = await cb.send(new ListSourceCredentialsCommand({}));
    expect(sourceCredentialsInfos).toEqual([{ arn, serverType: 'GITHUB', authType: 'PERSONAL_ACCESS_TOKEN' }]);
    expect(JSON.stringify(sourceCredentialsInfos)).not.toContain('ghp_secret');
    await cb.send(new DeleteSourceCredentialsCommand({ arn }));
    expect(await awsError(cb.send(new DeleteSourceCredentialsCommand({ arn })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
