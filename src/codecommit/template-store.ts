import type { ApprovalRuleTemplate } from '@aws-sdk/client-codecommit';
import type { Db } from '../core/store/db.js';
import { ruleSha256 } from './approval-rules.js';

export interface TemplateRecord {
  id: string;
  accountId: string;
  region: string;
  name: string;
  description: string;
  content: string;
  lastModifiedUser: string;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  account_id: string;
  region: string;
  name: string;
  description: string;
  content: string;
  last_modified_user: string;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): TemplateRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  description: r.description,
  content: r.content,
  lastModifiedUser: r.last_modified_user,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function templateView(t: TemplateRecord): ApprovalRuleTemplate {
  return {
    approvalRuleTemplateId: t.id,
    approvalRuleTemplateName: t.name,
    approvalRuleTemplateDescription: t.description,
    approvalRuleTemplateContent: t.content,
    ruleContentSha256: ruleSha256(t.content),
    lastModifiedDate: new Date(t.updatedAt),
    creationDate: new Date(t.createdAt),
    lastModifiedUser: t.lastModifiedUser,
  };
}

/** Approval rule templates (per account and region) and the repositories each is associated with. */
export class TemplateStore {
  constructor(private readonly db: Db) {}

  find(accountId: string, region: string, name: string): TemplateRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codecommit_approval_rule_templates WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, name) as
      | Row
      | undefined;
    return row && fromRow(row);
  }

  names(accountId: string, region: string): string[] {
    return (
      this.db.prepare('SELECT name FROM codecommit_approval_rule_templates WHERE account_id = ? AND region = ? ORDER BY name').all(accountId, region) as { name: string }[]
    ).map((r) => r.name);
  }

  count(accountId: string, region: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM codecommit_approval_rule_templates WHERE account_id = ? AND region = ?').get(accountId, region) as { n: number }).n;
  }

  insert(t: TemplateRecord): void {
    this.db
      .prepare(
        `INSERT INTO codecommit_approval_rule_templates (id, account_id, region, name, description, content, last_modified_user, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.id, t.accountId, t.region, t.name, t.description, t.content, t.lastModifiedUser, t.createdAt, t.updatedAt);
  }

  update(id: string, changes: Partial<Pick<TemplateRecord, 'name' | 'description' | 'content'>>, user: string, now: number): void {
    const sets = Object.keys(changes).map((k) => `${k} = ?`);
    this.db
      .prepare(`UPDATE codecommit_approval_rule_templates SET ${[...sets, 'last_modified_user = ?', 'updated_at = ?'].join(', ')} WHERE id = ?`)
      .run(...Object.values(changes), user, now, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM codecommit_approval_rule_templates WHERE id = ?').run(id);
  }

  associate(templateId: string, repositoryId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO codecommit_template_associations (template_id, repository_id) VALUES (?, ?)').run(templateId, repositoryId);
  }

  disassociate(templateId: string, repositoryId: string): void {
    this.db.prepare('DELETE FROM codecommit_template_associations WHERE template_id = ? AND repository_id = ?').run(templateId, repositoryId);
  }

  associatedWith(repositoryId: string): TemplateRecord[] {
    return (
      this.db
        .prepare(
          `SELECT t.* FROM codecommit_approval_rule_templates t JOIN codecommit_template_associations a ON a.template_id = t.id
           WHERE a.repository_id = ? ORDER BY t.name`,
        )
        .all(repositoryId) as Row[]
    ).map(fromRow);
  }

  repositoryNames(templateId: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT r.name FROM codecommit_repositories r JOIN codecommit_template_associations a ON a.repository_id = r.id
           WHERE a.template_id = ? ORDER BY r.name`,
        )
        .all(templateId) as { name: string }[]
    ).map((r) => r.name);
  }
}
