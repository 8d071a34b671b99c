import type { Job, JobData } from '@aws-sdk/client-codepipeline';
import type { ServiceDeps } from '../core/deps.js';
import { ServiceRoles } from '../sts/service-role.js';
import { pipelineArn } from './arns.js';
import type { ActionExecutionRecord, ExecutionRecord } from './store.js';

export type JobStatus = 'Created' | 'Queued' | 'Dispatched' | 'InProgress' | 'TimedOut' | 'Succeeded' | 'Failed';

export interface JobRecord {
  id: string;
  actionExecutionId: string;
  accountId: string;
  region: string;
  category: string;
  owner: string;
  provider: string;
  version: string;
  status: JobStatus;
  nonce: string | null;
  data: JobData;
}

interface Row {
  id: string;
  action_execution_id: string;
  account_id: string;
  region: string;
  category: string;
  owner: string;
  provider: string;
  version: string;
  status: JobStatus;
  nonce: string | null;
  data: string;
}

const jobOf = (r: Row): JobRecord => ({
  id: r.id,
  actionExecutionId: r.action_execution_id,
  accountId: r.account_id,
  region: r.region,
  category: r.category,
  owner: r.owner,
  provider: r.provider,
  version: r.version,
  status: r.status,
  nonce: r.nonce,
  data: JSON.parse(r.data),
});

/** Artifact credentials last an hour, as AWS's do. */
const CREDENTIAL_SECONDS = 3600;

/**
 * The job-worker protocol's jobs: one per turn of a custom or Lambda action (a continuation token
 * queues the next), with the data a worker needs, artifact credentials issued fresh to each read.
 */
export class Jobs {
  private readonly roles: ServiceRoles;

  constructor(private readonly deps: ServiceDeps) {
    this.roles = new ServiceRoles(deps);
  }

  create(e: ExecutionRecord, a: ActionExecutionRecord, continuationToken?: string): JobRecord {
    const t = a.input.actionTypeId;
    const s3 = (x: { name: string; bucket: string; key: string }) => ({
      name: x.name,
      location: { type: 'S3' as const, s3Location: { bucketName: x.bucket, objectKey: x.key } },
    });
    const job: JobRecord = {
      id: this.deps.ids.uuid(),
      actionExecutionId: a.id,
      accountId: e.accountId,
      region: e.region,
      ...t,
      status: 'Queued',
      nonce: null,
      data: {
        actionTypeId: t as JobData['actionTypeId'],
        actionConfiguration: { configuration: a.input.resolvedConfiguration },
        pipelineContext: {
          pipelineName: e.pipeline,
          stage: { name: a.stage },
          action: { name: a.action, actionExecutionId: a.id },
          pipelineArn: pipelineArn(e, e.pipeline),
          pipelineExecutionId: e.id,
        },
        inputArtifacts: a.input.inputArtifacts.map((x) => ({ ...s3(x), ...(x.revision ? { revision: x.revision } : {}) })),
        outputArtifacts: a.input.outputArtifacts.map(s3),
        ...(continuationToken ? { continuationToken } : {}),
      },
    };
    const now = this.deps.clock.now().getTime();
    this.deps.db
      .prepare(
        'INSERT INTO codepipeline_jobs (id, action_execution_id, account_id, region, category, owner, provider, version, status, nonce, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(job.id, a.id, job.accountId, job.region, job.category, job.owner, job.provider, job.version, job.status, null, JSON.stringify(job.data), now, now);
    return job;
  }

  get(id: string): JobRecord | undefined {
    const row = this.deps.db.prepare('SELECT * FROM codepipeline_jobs WHERE id = ?').get(id) as Row | undefined;
    return row && jobOf(row);
  }

  queued(s: { accountId: string; region: string }, t: { category: string; owner: string; provider: string; version: string }): JobRecord[] {
    return (
      this.deps.db
        .prepare(
          "SELECT * FROM codepipeline_jobs WHERE account_id = ? AND region = ? AND category = ? AND owner = ? AND provider = ? AND version = ? AND status = 'Queued' ORDER BY created_at, rowid",
        )
        .all(s.accountId, s.region, t.category, t.owner, t.provider, t.version) as Row[]
    ).map(jobOf);
  }

  setStatus(id: string, status: JobStatus, nonce?: string): void {
    this.deps.db
      .prepare('UPDATE codepipeline_jobs SET status = ?, nonce = COALESCE(?, nonce), updated_at = ? WHERE id = ?')
      .run(status, nonce ?? null, this.deps.clock.now().getTime(), id);
  }

  /** The job as a worker receives it, with artifact credentials of the acting role issued now. */
  view(job: JobRecord, roleArn: string): Job {
    const creds = this.roles.credentials(
      roleArn,
      `codepipeline-job-${job.id}`.slice(0, 64),
      CREDENTIAL_SECONDS,
      job.data.pipelineContext!.pipelineArn!,
    );
    return {
      id: job.id,
      accountId: job.accountId,
      ...(job.nonce ? { nonce: job.nonce } : {}),
      data: { ...job.data, artifactCredentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken ?? '' } },
    };
  }
}
