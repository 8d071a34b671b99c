import type { Engine } from '../engine.js';
import type { Jobs } from '../jobs.js';
import { jobWorker } from './job-worker.js';
import { codeBuildAction } from './codebuild.js';
import { codeCommitSource } from './codecommit-source.js';
import { manualApproval } from './manual-approval.js';
import { failed, type Provider } from './provider.js';
import { s3Deploy, s3Source } from './s3.js';

/** CloudFormation actions are accepted in structures; codesuite has no CloudFormation to run them yet. */
const cloudFormation: Provider = {
  run: async () => failed('codesuite does not run CloudFormation actions yet: it has no CloudFormation service.', 'ConfigurationError'),
};

/** Every provider the engine runs, by `owner/category/provider`. */
export function registerProviders(engine: Engine, jobs: Jobs): void {
  engine.provide('Custom/*/*', jobWorker(jobs, 'custom'));
  engine.provide('AWS/Invoke/Lambda', jobWorker(jobs, 'lambda'));
  engine.provide('AWS/Source/CodeCommit', codeCommitSource());
  engine.provide('AWS/Source/S3', s3Source());
  engine.provide('AWS/Build/CodeBuild', codeBuildAction());
  engine.provide('AWS/Test/CodeBuild', codeBuildAction());
  engine.provide('AWS/Deploy/S3', s3Deploy());
  engine.provide('AWS/Deploy/CloudFormation', cloudFormation);
  engine.provide(
    'AWS/Approval/Manual',
    manualApproval((r) => {
      const stage = r.execution.declaration.stages!.find((s) => s.name === r.action.stage);
      return stage?.actions!.find((a) => a.name === r.action.action)?.timeoutInMinutes;
    }),
  );
}
