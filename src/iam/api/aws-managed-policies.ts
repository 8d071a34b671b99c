import { parsePolicyArn } from './arns.js';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies-data.js';
import { stableId } from './ids.js';

/** An AWS managed policy: the same in every account, readable and attachable, never writable. */
export interface AwsManagedPolicy {
  id: string;
  arn: string;
  name: string;
  path: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  versionCreatedAt: number;
  /** The default version's document, as IAM serves it. */
  document: string;
}

const catalog = new Map<string, AwsManagedPolicy>(
  AWS_MANAGED_POLICIES.map((p) => {
    const parts = parsePolicyArn(p.arn)!;
    return [
      p.arn,
      {
        // IAM's real ids of these policies are not in the source data; a stable stand-in per ARN.
        id: stableId('ANPA', p.arn),
        arn: p.arn,
        name: parts.name,
        path: parts.path,
        createdAt: Date.parse(p.createDate),
        updatedAt: Date.parse(p.updateDate),
        defaultVersionId: p.defaultVersionId,
        versionCreatedAt: Date.parse(p.versionCreateDate),
        document: JSON.stringify(p.document, null, 4),
      },
    ];
  }),
);

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return catalog.get(arn);
}

export function awsManagedPolicies(): AwsManagedPolicy[] {
  return [...catalog.values()];
}
