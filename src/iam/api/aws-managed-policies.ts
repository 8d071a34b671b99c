import { readFileSync } from 'node:fs';
import { packageFile } from '../../core/package-files.js';
import { parsePolicyArn } from './arns.js';
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

/** One entry of data/aws-managed-policies.json (its origin and licence: data/aws-managed-policies.LICENSE). */
interface AwsManagedPolicyData {
  arn: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versionCreateDate: string;
  document: unknown;
}

let catalog: Map<string, AwsManagedPolicy> | undefined;

/** Read on first use: most servers never look at a managed policy, and start-up counts. */
function loadCatalog(): Map<string, AwsManagedPolicy> {
  const data = JSON.parse(readFileSync(packageFile('data/aws-managed-policies.json'), 'utf8')) as AwsManagedPolicyData[];
  return new Map(
    data.map((p) => {
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
}

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return (catalog ??= loadCatalog()).get(arn);
}

export function awsManagedPolicies(): AwsManagedPolicy[] {
  return [...(catalog ??= loadCatalog()).values()];
}
