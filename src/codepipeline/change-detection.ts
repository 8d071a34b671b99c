import type { BusEvent } from '../core/events.js';
import type { PipelineContext } from './context.js';

/**
 * CodeCommit source actions with `PollForSourceChanges` on (the default) start an execution when
 * their branch moves: the push event stands in for AWS's poll and pins the commit it saw. With
 * polling off, AWS relies on an EventBridge rule whose target is the pipeline: that arrives
 * through the delivery registry instead (trigger CloudWatchEvent).
 */
export function watchSourceChanges(c: PipelineContext): void {
  c.deps.events.subscribe((event: BusEvent) => {
    if (event['detail-type'] !== 'CodeCommit Repository State Change') return;
    const d = event.detail as { event?: string; referenceType?: string; referenceName?: string; repositoryName?: string; commitId?: string };
    if (d.referenceType !== 'branch' || (d.event !== 'referenceCreated' && d.event !== 'referenceUpdated') || !d.commitId) return;
    for (const p of c.store.pipelines({ accountId: event.account, region: event.region })) {
      const source = p.declaration.stages?.[0]?.actions?.find(
        (a) =>
          a.actionTypeId?.provider === 'CodeCommit' &&
          a.configuration?.RepositoryName === d.repositoryName &&
          a.configuration?.BranchName === d.referenceName &&
          a.configuration?.PollForSourceChanges !== 'false',
      );
      if (!source) continue;
      c.engine.start(p, {
        triggerType: 'PollForSourceChanges',
        triggerDetail: source.name,
        sourceOverrides: { [source.name!]: { revisionType: 'COMMIT_ID', revisionValue: d.commitId } },
      });
    }
  });
}

/** A CodeBuild build that ended is looked at now rather than at the next poll. */
export function watchBuilds(c: PipelineContext): void {
  c.deps.events.subscribe((event: BusEvent) => {
    if (event['detail-type'] !== 'CodeBuild Build State Change') return;
    const d = event.detail as { 'build-status'?: string; 'build-id'?: string };
    if (d['build-status'] === 'IN_PROGRESS' || !d['build-id']) return;
    const buildId = d['build-id'].replace(/^.*:build\//, '');
    const row = c.deps.db.prepare("SELECT id FROM codepipeline_action_executions WHERE external_id = ? AND status = 'InProgress'").get(buildId) as { id: string } | undefined;
    if (row) c.engine.poke(row.id);
  });
}
