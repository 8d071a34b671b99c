import { createHash } from 'node:crypto';
import { inputError } from './errors.js';

/** The only version of the approval rule language CodeCommit knows. */
const RULE_VERSION = '2018-11-08';

export interface ApproversStatement {
  numberOfApprovalsNeeded: number;
  /** Who counts; empty means anyone who may approve. */
  poolMembers: string[];
}

export interface RuleContent {
  destinationReferences?: string[];
  statements: ApproversStatement[];
}

export const ruleSha256 = (content: string) => createHash('sha256').update(content, 'utf8').digest('hex');

const POOL_ARN = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*):[^\s]+$/;
const APPROVERS = /^CodeCommitApprovers:(\d{12}):(\S+)$/;

/**
 * Reads an approval rule (or template) as CodeCommit's rule language has it: a version, statements
 * of type Approvers with the number needed and an optional approval pool, and (templates) the
 * destination references the rule applies to. Anything else is rejected with `invalidCode`.
 */
export function parseRuleContent(content: string, invalidCode: string): RuleContent {
  const invalid = () => inputError(invalidCode);
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw invalid();
  }
  if (!isObject(doc) || doc.Version !== RULE_VERSION) throw invalid();
  const statements = doc.Statements;
  if (!Array.isArray(statements) || statements.length === 0) throw invalid();
  const parsed: ApproversStatement[] = statements.map((s) => {
    if (!isObject(s) || s.Type !== 'Approvers') throw invalid();
    const needed = s.NumberOfApprovalsNeeded;
    if (typeof needed !== 'number' || !Number.isInteger(needed) || needed < 1) throw invalid();
    const pool = s.ApprovalPoolMembers ?? [];
    if (!Array.isArray(pool) || !pool.every((m) => typeof m === 'string' && (POOL_ARN.test(m) || APPROVERS.test(m)))) throw invalid();
    return { numberOfApprovalsNeeded: needed, poolMembers: pool as string[] };
  });
  let destinationReferences: string[] | undefined;
  if (doc.DestinationReferences !== undefined) {
    const refs = doc.DestinationReferences;
    if (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string' && r.startsWith('refs/heads/') && r.length > 'refs/heads/'.length)) throw invalid();
    destinationReferences = refs as string[];
  }
  return { destinationReferences, statements: parsed };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `*` and `?` as IAM uses them in ARNs; everything else literally. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * Whether an approver counts for a pool member. A full ARN (wildcards allowed) matches the
 * approver's ARN. `CodeCommitApprovers:<account>:<name>` matches an IAM user or federated user of
 * that name in that account; an assumed-role session only through a wildcard, matched against
 * `<role>/<session>`, as CodeCommit documents.
 */
export function poolMemberMatches(member: string, approverArn: string): boolean {
  const approvers = APPROVERS.exec(member);
  if (!approvers) return wildcard(member).test(approverArn);
  const [, account, name] = approvers;
  const arn = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(user|federated-user|assumed-role)\/(.+)$/.exec(approverArn);
  if (!arn || arn[2] !== account) return false;
  const [, , , type, rest] = arn;
  if (type === 'assumed-role') return name.includes('*') && wildcard(name).test(rest);
  const userName = rest.slice(rest.lastIndexOf('/') + 1);
  return wildcard(name).test(userName);
}

/** Whether the approvals given satisfy every statement of a rule. */
export function ruleSatisfied(rule: RuleContent, approvers: string[]): boolean {
  return rule.statements.every((s) => {
    const counted = s.poolMembers.length === 0 ? approvers : approvers.filter((a) => s.poolMembers.some((m) => poolMemberMatches(m, a)));
    return counted.length >= s.numberOfApprovalsNeeded;
  });
}

/** Whether a template applies to a pull request into `destinationReference`. */
export function templateApplies(rule: RuleContent, destinationReference: string): boolean {
  return !rule.destinationReferences || rule.destinationReferences.includes(destinationReference);
}
