import { randomBytes } from 'node:crypto';
import type { Scope } from './records.js';

const base = (s: Scope) => `arn:aws:codedeploy:${s.region}:${s.accountId}`;

export const applicationArn = (s: Scope, name: string) => `${base(s)}:application:${name}`;
export const groupArn = (s: Scope, application: string, group: string) => `${base(s)}:deploymentgroup:${application}/${group}`;
export const configArn = (s: Scope, name: string) => `${base(s)}:deploymentconfig:${name}`;
export const instanceArn = (s: Scope, name: string) => `${base(s)}:instance/${name}`;

/** What the agent protocol calls a deployment: the deployment engine's own ARN of it. */
export const engineDeploymentArn = (s: Scope, id: string) => `arn:aws:sds:${s.region}:${s.accountId}:deployment/${id}`;
export const deploymentExecutionId = (s: Scope, id: string) => `CodeDeploy/${s.region}/Prod/${engineDeploymentArn(s, id)}`;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `d-` and nine upper-case letters and digits, as AWS's deployment ids look. */
export function newDeploymentId(): string {
  return `d-${[...randomBytes(9)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

/** The parts of an ARN a CodeDeploy tagging call names: `application:<name>`, `deploymentgroup:<app>/<group>`... */
export function parseCodeDeployArn(arn: string): { scope: Scope; type: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:codedeploy:([a-z0-9-]+):(\d{12}):(application|deploymentgroup|deploymentconfig):(.+)$/.exec(arn);
  return m ? { scope: { region: m[1], accountId: m[2] }, type: m[3], name: m[4] } : undefined;
}
