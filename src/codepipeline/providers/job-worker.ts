import type { Jobs } from '../jobs.js';
import { failed, type ActionRun, type Provider } from './provider.js';

const CUSTOM_TIMEOUT_MS = 24 * 3600_000;
const LAMBDA_TIMEOUT_MS = 20 * 60_000;

/**
 * Actions a job worker completes: a custom action's job waits for PollForJobs; a Lambda invoke
 * action's job goes to the function (asynchronously, as AWS invokes it) as `CodePipeline.job`.
 * Either way PutJobSuccessResult / PutJobFailureResult end the action, and a job nobody finishes
 * times out (24 hours for custom actions, 20 minutes for Lambda).
 */
export function jobWorker(jobs: Jobs, kind: 'custom' | 'lambda'): Provider {
  return {
    async run(r: ActionRun) {
      const state = r.action.state as { jobId?: string; timeoutAt?: number } | null;
      if (!state?.jobId) {
        const job = jobs.create(r.execution, r.action);
        const timeoutAt = r.now() + (kind === 'lambda' ? LAMBDA_TIMEOUT_MS : CUSTOM_TIMEOUT_MS);
        r.save({ jobId: job.id, timeoutAt });
        if (kind === 'lambda') {
          if (!r.deps.internal.has('lambda')) return failed('codesuite does not serve Lambda in this server, so the function could not be invoked.', 'ConfigurationError');
          const view = jobs.view(job, r.action.input.roleArn ?? r.execution.declaration.roleArn!);
          const payload = JSON.stringify({ 'CodePipeline.job': view });
          await r.deps.internal.call('lambda', 'Invoke', { FunctionName: r.action.input.resolvedConfiguration.FunctionName, InvocationType: 'Event', Payload: Buffer.from(payload) }, {
            caller: r.caller,
            region: r.action.input.region,
          });
          jobs.setStatus(job.id, 'Dispatched');
        }
        return { status: 'InProgress', checkAt: timeoutAt };
      }
      if (r.now() < state.timeoutAt!) return { status: 'InProgress', checkAt: state.timeoutAt! };
      jobs.setStatus(state.jobId, 'TimedOut');
      return failed('The action timed out: no job worker completed its job in time.');
    },
  };
}
