import { engineDeploymentArn } from './arns.js';
import type { DeploymentRecord, Scope } from './records.js';

/**
 * The deployment specification the agent reads (agent v1 deployment_specification.rb): who the
 * deployment is, where its bundle is, and what to do with files that already exist. No
 * `AllPossibleLifecycleEvents`: the v1 agent fails Install when it is present.
 */
export function deploymentSpecification(d: DeploymentRecord & Scope): Record<string, unknown> {
  const r = d.revision;
  const revision =
    r.revisionType === 'GitHub'
      ? {
          RevisionType: 'GitHub',
          GitHubRevision: { Account: r.gitHubLocation!.repository!.split('/')[0], Repository: r.gitHubLocation!.repository!.split('/').pop(), CommitId: r.gitHubLocation!.commitId, BundleType: 'tar' },
        }
      : {
          RevisionType: 'S3',
          S3Revision: {
            Bucket: r.s3Location!.bucket,
            Key: r.s3Location!.key,
            BundleType: r.s3Location!.bundleType,
            ...(r.s3Location!.version ? { Version: r.s3Location!.version } : {}),
            ...(r.s3Location!.eTag ? { ETag: r.s3Location!.eTag.replace(/"/g, '') } : {}),
          },
        };
  return {
    DeploymentId: engineDeploymentArn(d, d.deploymentId),
    DeploymentGroupId: d.deploymentGroupId,
    DeploymentGroupName: d.deploymentGroupName,
    ApplicationName: d.applicationName,
    DeploymentCreator: d.creator,
    DeploymentType: d.deploymentStyle.deploymentType,
    AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: d.fileExistsBehavior } },
    Revision: revision,
  };
}
