import type {
  GetRepositoryTriggersInput,
  GetRepositoryTriggersOutput,
  PutRepositoryTriggersInput,
  PutRepositoryTriggersOutput,
  RepositoryTrigger,
  RepositoryTriggerExecutionFailure,
  TestRepositoryTriggersInput,
  TestRepositoryTriggersOutput,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import type { Delivery } from '../core/delivery.js';
import type { BusEvent } from '../core/events.js';
import { operation, type OperationSpec } from '../core/service.js';
import { repositoryArn } from './arns.js';
import { isValidBranchName } from './branch-names.js';
import { readRef } from './commit-specifiers.js';
import { repositoryResource } from './content-iam.js';
import { inputError } from './errors.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';

/** CodeCommit's quotas: triggers per repository, branches per trigger, custom data length. */
const MAX_TRIGGERS = 10;
const MAX_BRANCHES = 100;
const MAX_CUSTOM_DATA = 1000;
const SENDER = 'codecommit.trigger';
/** How long a trigger's delivery keeps trying when its target is away. */
const RETRY = { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 };
const DESTINATION = /^arn:aws[a-z-]*:(sns|lambda):([a-z0-9-]+):(\d{12}):(.+)$/;

/** The trigger events a reference change counts as. */
const TRIGGER_EVENT: Record<string, string> = {
  referenceCreated: 'createReference',
  referenceUpdated: 'updateReference',
  referenceDeleted: 'deleteReference',
};

interface Reference {
  commit: string;
  ref: string;
  created?: boolean;
  deleted?: boolean;
}

/**
 * Repository triggers: stored per repository, validated as CodeCommit validates them, and fired
 * for every branch push or API change they select, through the delivery registry to an SNS topic
 * or a Lambda function with the record CodeCommit sends.
 */
export class RepositoryTriggers {
  constructor(private readonly repos: Repositories) {}

  private get deps() {
    return this.repos.deps;
  }

  get(repositoryId: string): { configurationId: string; triggers: RepositoryTrigger[] } | undefined {
    const row = this.deps.db.prepare('SELECT configuration_id, triggers FROM codecommit_triggers WHERE repository_id = ?').get(repositoryId) as
      | { configuration_id: string; triggers: string }
      | undefined;
    return row && { configurationId: row.configuration_id, triggers: JSON.parse(row.triggers) };
  }

  validate(repo: RepositoryRecord, triggers: RepositoryTrigger[] | undefined): RepositoryTrigger[] {
    if (!triggers) throw inputError('RepositoryTriggersListRequiredException');
    if (triggers.length > MAX_TRIGGERS) throw inputError('MaximumRepositoryTriggersExceededException');
    const names = new Set<string>();
    return triggers.map((t) => {
      if (!t.name || t.name.trim() === '') throw inputError('RepositoryTriggerNameRequiredException');
      if (names.has(t.name) || t.name.length > 100) throw inputError('InvalidRepositoryTriggerNameException');
      names.add(t.name);
      if (!t.destinationArn) throw inputError('RepositoryTriggerDestinationArnRequiredException');
      const arn = DESTINATION.exec(t.destinationArn);
      if (!arn) throw inputError('InvalidRepositoryTriggerDestinationArnException');
      if (arn[2] !== repo.region) throw inputError('InvalidRepositoryTriggerRegionException');
      if (t.customData !== undefined && t.customData.length > MAX_CUSTOM_DATA) throw inputError('InvalidRepositoryTriggerCustomDataException');
      const branches = t.branches ?? [];
      if (branches.length > MAX_BRANCHES) throw inputError('MaximumBranchesExceededException');
      if (!branches.every((b) => isValidBranchName(b))) throw inputError('InvalidRepositoryTriggerBranchNameException');
      const events = t.events ?? [];
      if (events.length === 0) throw inputError('RepositoryTriggerEventsListRequiredException');
      if (events.includes('all') && events.length > 1) throw inputError('InvalidRepositoryTriggerEventsException');
      return { name: t.name, destinationArn: t.destinationArn, customData: t.customData, branches, events };
    });
  }

  put(repo: RepositoryRecord, triggers: RepositoryTrigger[]): string {
    const configurationId = this.deps.ids.uuid();
    this.deps.db
      .prepare(
        `INSERT INTO codecommit_triggers (repository_id, configuration_id, triggers) VALUES (?, ?, ?)
         ON CONFLICT (repository_id) DO UPDATE SET configuration_id = excluded.configuration_id, triggers = excluded.triggers`,
      )
      .run(repo.id, configurationId, JSON.stringify(triggers));
    return configurationId;
  }

  /** The record CodeCommit sends a trigger's target: one record naming the references that changed. */
  record(repo: RepositoryRecord, trigger: RepositoryTrigger, configurationId: string, eventName: string, references: Reference[], userArn: string): string {
    return JSON.stringify({
      Records: [
        {
          awsRegion: repo.region,
          codecommit: { references },
          customData: trigger.customData ?? '',
          eventId: this.deps.ids.uuid(),
          eventName,
          eventPartNumber: 1,
          eventSource: 'aws:codecommit',
          eventSourceARN: repositoryArn(repo),
          eventTime: this.deps.clock.now().toISOString().replace('Z', '+0000'),
          eventTotalParts: 1,
          eventTriggerConfigId: configurationId,
          eventTriggerName: trigger.name,
          eventVersion: '1.0',
          userIdentityARN: userArn,
        },
      ],
    });
  }

  delivery(repo: RepositoryRecord, trigger: RepositoryTrigger, message: string): Delivery {
    return {
      targetArn: trigger.destinationArn!,
      message,
      sourceService: 'codecommit.amazonaws.com',
      sourceArn: repositoryArn(repo),
      sourceAccount: repo.accountId,
      attributes: trigger.destinationArn!.includes(':sns:') ? { subject: `UPDATE: AWS CodeCommit ${repo.region} ${repo.name}` } : undefined,
    };
  }

  /** Fires the repository's triggers that select a branch change, each as a persisted, retried delivery. */
  onReferenceChange(event: BusEvent): void {
    if (event.source !== 'aws.codecommit' || event['detail-type'] !== 'CodeCommit Repository State Change') return;
    const d = event.detail as { repositoryId: string; event: string; referenceType: string; referenceName: string; referenceFullName: string; commitId?: string; oldCommitId?: string; callerUserArn: string };
    if (d.referenceType !== 'branch') return;
    const repo = this.repos.store.byId(d.repositoryId);
    const config = repo && this.get(repo.id);
    if (!repo || !config) return;
    const kind = TRIGGER_EVENT[d.event];
    const reference: Reference = {
      commit: d.commitId ?? d.oldCommitId ?? '',
      ref: d.referenceFullName,
      ...(d.event === 'referenceCreated' ? { created: true } : {}),
      ...(d.event === 'referenceDeleted' ? { deleted: true } : {}),
    };
    for (const trigger of config.triggers) {
      const events = trigger.events ?? [];
      if (!events.includes('all') && !events.includes(kind as never)) continue;
      if ((trigger.branches ?? []).length > 0 && !trigger.branches!.includes(d.referenceName)) continue;
      const message = this.record(repo, trigger, config.configurationId, 'ReferenceChanges', [reference], d.callerUserArn);
      this.deps.delivery.enqueue(SENDER, this.delivery(repo, trigger, message), RETRY);
    }
  }

  operations(): Record<string, OperationSpec> {
    const repos = this.repos;
    return {
      PutRepositoryTriggers: operation<PutRepositoryTriggersInput, PutRepositoryTriggersOutput>({
        iam: { action: 'codecommit:PutRepositoryTriggers', resource: repositoryResource },
        handler: (input, ctx) => {
          const repo = repos.require(ctx, input.repositoryName!);
          return { configurationId: this.put(repo, this.validate(repo, input.triggers)) };
        },
      }),

      GetRepositoryTriggers: operation<GetRepositoryTriggersInput, GetRepositoryTriggersOutput>({
        iam: { action: 'codecommit:GetRepositoryTriggers', resource: repositoryResource },
        handler: (input, ctx) => {
          const repo = repos.require(ctx, input.repositoryName!);
          const config = this.get(repo.id);
          return config ?? { configurationId: '', triggers: [] };
        },
      }),

      TestRepositoryTriggers: operation<TestRepositoryTriggersInput, TestRepositoryTriggersOutput>({
        iam: { action: 'codecommit:TestRepositoryTriggers', resource: repositoryResource },
        handler: async (input, ctx) => this.test(ctx, input),
      }),
    };
  }

  /** Sends each trigger a test record naming the default branch, once, and reports how each went. */
  private async test(ctx: RequestContext, input: TestRepositoryTriggersInput): Promise<TestRepositoryTriggersOutput> {
    const repo = this.repos.require(ctx, input.repositoryName!);
    const triggers = this.validate(repo, input.triggers);
    const branch = repo.defaultBranch ?? 'main';
    const commit = (await readRef(this.repos, repo, `refs/heads/${branch}`)) ?? '';
    const configurationId = this.get(repo.id)?.configurationId ?? this.deps.ids.uuid();
    const successfulExecutions: string[] = [];
    const failedExecutions: RepositoryTriggerExecutionFailure[] = [];
    for (const trigger of triggers) {
      const message = this.record(repo, trigger, configurationId, 'TriggerEventTest', [{ commit, ref: `refs/heads/${branch}` }], ctx.principalArn);
      const outcome = await this.deps.delivery.attempt(this.delivery(repo, trigger, message));
      if (outcome.ok) successfulExecutions.push(trigger.name!);
      else failedExecutions.push({ trigger: trigger.name, failureMessage: outcome.detail });
    }
    return { successfulExecutions, failedExecutions };
  }
}
