import type { ActionRun, Provider } from './provider.js';

const DEFAULT_TIMEOUT_MINUTES = 7 * 24 * 60;

/**
 * Manual approval: the action waits with a token (GetPipelineState shows it) until
 * PutApprovalResult ends it, or fails when its timeout passes (7 days unless the action says).
 * The notification to `NotificationArn` goes through the delivery registry when a topic receives it.
 */
export function manualApproval(timeoutOf: (r: ActionRun) => number | undefined): Provider {
  return {
    async run(r: ActionRun) {
      const expires = r.action.state?.expires as number | undefined;
      if (expires === undefined) {
        const minutes = timeoutOf(r) ?? DEFAULT_TIMEOUT_MINUTES;
        const at = r.action.startedAt + minutes * 60_000;
        r.save({ expires: at });
        await notify(r, at);
        return { status: 'InProgress', checkAt: at };
      }
      if (r.now() < expires) return { status: 'InProgress', checkAt: expires };
      return { status: 'Failed', code: 'JobFailed', message: 'The approval request timed out before it was approved or rejected.' };
    },
  };
}

async function notify(r: ActionRun, expires: number): Promise<void> {
  const config = r.action.input.resolvedConfiguration;
  if (!config.NotificationArn) return;
  const message = {
    region: r.execution.region,
    consoleLink: '',
    approval: {
      pipelineName: r.execution.pipeline,
      stageName: r.action.stage,
      actionName: r.action.action,
      token: r.action.token,
      expires: new Date(expires).toISOString(),
      externalEntityLink: config.ExternalEntityLink ?? null,
      approvalReviewLink: '',
      customData: config.CustomData ?? null,
    },
  };
  // Persisted and retried like every delivery, and listed at /_codesuite/deliveries.
  r.deps.delivery.enqueue(
    'codepipeline',
    {
      targetArn: config.NotificationArn,
      message: JSON.stringify(message),
      sourceService: 'codepipeline.amazonaws.com',
      sourceArn: `arn:aws:codepipeline:${r.execution.region}:${r.execution.accountId}:${r.execution.pipeline}`,
      sourceAccount: r.execution.accountId,
      role: r.caller,
      attributes: { Subject: `APPROVAL NEEDED: AWS CodePipeline ${r.execution.pipeline} for action ${r.action.action}` },
    },
    { maximumRetryAttempts: 10, maximumEventAgeSeconds: 3600 },
  );
}
