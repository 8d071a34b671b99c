import type { ApprovalRule } from '@aws-sdk/client-codecommit';
import type { Db } from '../core/store/db.js';
import { ruleSha256 } from './approval-rules.js';

export interface ApprovalRuleRecord {
  id: string;
  pullRequestId: number;
  name: string;
  content: string;
  templateId: string | null;
  templateName: string | null;
  lastModifiedUser: string;
  createdAt: number;
  updatedAt: number;
}

interface RuleRow {
  id: string;
  pull_request_id: number;
  name: string;
  content: string;
  template_id: string | null;
  template_name: string | null;
  last_modified_user: string;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: RuleRow): ApprovalRuleRecord => ({
  id: r.id,
  pullRequestId: r.pull_request_id,
  name: r.name,
  content: r.content,
  templateId: r.template_id,
  templateName: r.template_name,
  lastModifiedUser: r.last_modified_user,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function approvalRuleView(r: ApprovalRuleRecord): ApprovalRule {
  return {
    approvalRuleId: r.id,
    approvalRuleName: r.name,
    approvalRuleContent: r.content,
    ruleContentSha256: ruleSha256(r.content),
    lastModifiedDate: new Date(r.updatedAt),
    creationDate: new Date(r.createdAt),
    lastModifiedUser: r.lastModifiedUser,
    originApprovalRuleTemplate: r.templateId ? { approvalRuleTemplateId: r.templateId, approvalRuleTemplateName: r.templateName ?? undefined } : undefined,
  };
}

/** A pull request's approval rules and the approvals given to each of its revisions. */
export class ApprovalStore {
  constructor(private readonly db: Db) {}

  rules(pullRequestId: number): ApprovalRuleRecord[] {
    return (this.db.prepare('SELECT * FROM codecommit_approval_rules WHERE pull_request_id = ? ORDER BY created_at, rowid').all(pullRequestId) as RuleRow[]).map(fromRow);
  }

  rule(pullRequestId: number, name: string): ApprovalRuleRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codecommit_approval_rules WHERE pull_request_id = ? AND name = ?').get(pullRequestId, name) as RuleRow | undefined;
    return row && fromRow(row);
  }

  insertRule(r: ApprovalRuleRecord): void {
    this.db
      .prepare(
        `INSERT INTO codecommit_approval_rules (id, pull_request_id, name, content, template_id, template_name, last_modified_user, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.pullRequestId, r.name, r.content, r.templateId, r.templateName, r.lastModifiedUser, r.createdAt, r.updatedAt);
  }

  updateRule(id: string, content: string, user: string, now: number): void {
    this.db.prepare('UPDATE codecommit_approval_rules SET content = ?, last_modified_user = ?, updated_at = ? WHERE id = ?').run(content, user, now, id);
  }

  deleteRule(id: string): void {
    this.db.prepare('DELETE FROM codecommit_approval_rules WHERE id = ?').run(id);
  }

  approvers(pullRequestId: number, revisionId: string): string[] {
    return (
      this.db.prepare('SELECT user_arn FROM codecommit_approvals WHERE pull_request_id = ? AND revision_id = ? ORDER BY rowid').all(pullRequestId, revisionId) as {
        user_arn: string;
      }[]
    ).map((r) => r.user_arn);
  }

  /** Records or withdraws one user's approval of a revision; says whether anything changed. */
  setApproval(pullRequestId: number, revisionId: string, userArn: string, approve: boolean): boolean {
    const sql = approve
      ? 'INSERT OR IGNORE INTO codecommit_approvals (pull_request_id, revision_id, user_arn) VALUES (?, ?, ?)'
      : 'DELETE FROM codecommit_approvals WHERE pull_request_id = ? AND revision_id = ? AND user_arn = ?';
    return this.db.prepare(sql).run(pullRequestId, revisionId, userArn).changes > 0;
  }
}
