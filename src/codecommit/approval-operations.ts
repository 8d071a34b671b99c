import type {
  CreatePullRequestApprovalRuleInput,
  CreatePullRequestApprovalRuleOutput,
  DeletePullRequestApprovalRuleInput,
  DeletePullRequestApprovalRuleOutput,
  EvaluatePullRequestApprovalRulesInput,
  EvaluatePullRequestApprovalRulesOutput,
  GetPullRequestApprovalStatesInput,
  GetPullRequestApprovalStatesOutput,
  GetPullRequestOverrideStateInput,
  GetPullRequestOverrideStateOutput,
  OverridePullRequestApprovalRulesInput,
  UpdatePullRequestApprovalRuleContentInput,
  UpdatePullRequestApprovalRuleContentOutput,
  UpdatePullRequestApprovalStateInput,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parseRuleContent, ruleSha256 } from './approval-rules.js';
import { approvalRuleView } from './approval-store.js';
import { inputError } from './errors.js';
import type { PullRequestRecord } from './pull-request-store.js';
import type { PullRequests } from './pull-requests.js';
import { pullRequestResource } from './review-iam.js';

/** CodeCommit's quota of approval rules on one pull request. */
const MAX_RULES = 25;
const INVALID_CONTENT = 'InvalidApprovalRuleContentException';

export function approvalOperations(prs: PullRequests): Record<string, OperationSpec> {
  const { store, approvals } = prs;
  const resource = pullRequestResource(store);

  /** A pull request and a revision id of the right form; `current` also requires it to be the latest. */
  async function revision(ctx: RequestContext, input: { pullRequestId?: string; revisionId?: string }, current: boolean): Promise<PullRequestRecord> {
    if (!input.revisionId) throw inputError('RevisionIdRequiredException');
    const pr = await prs.current(ctx, input.pullRequestId);
    if (!/^[0-9a-f]{64}$/.test(input.revisionId)) throw inputError('InvalidRevisionIdException');
    if (current && input.revisionId !== pr.revisionId) throw inputError('RevisionNotCurrentException');
    return pr;
  }

  async function open(ctx: RequestContext, pullRequestId: string | undefined): Promise<PullRequestRecord> {
    const pr = await prs.current(ctx, pullRequestId);
    if (pr.status === 'CLOSED') throw inputError('PullRequestAlreadyClosedException');
    return pr;
  }

  function ruleEvent(pr: PullRequestRecord, ctx: RequestContext, type: 'CREATED' | 'UPDATED' | 'DELETED', rule: { id: string; name: string; content: string }, write: () => void) {
    const busEvent = ({ CREATED: 'pullRequestApprovalRuleCreated', UPDATED: 'pullRequestApprovalRuleUpdated', DELETED: 'pullRequestApprovalRuleDeleted' } as const)[type];
    prs.change(
      pr,
      ctx.principalArn,
      {
        type: `PULL_REQUEST_APPROVAL_RULE_${type}`,
        metadata: { approvalRuleName: rule.name, approvalRuleId: rule.id, approvalRuleContent: rule.content },
        busEvent,
      },
      write,
    );
  }

  return {
    GetPullRequestApprovalStates: operation<GetPullRequestApprovalStatesInput, GetPullRequestApprovalStatesOutput>({
      iam: { action: 'codecommit:GetPullRequestApprovalStates', resource },
      handler: async (input, ctx) => {
        const pr = await revision(ctx, input, false);
        return { approvals: approvals.approvers(pr.id, input.revisionId!).map((userArn) => ({ userArn, approvalState: 'APPROVE' })) };
      },
    }),

    UpdatePullRequestApprovalState: operation<UpdatePullRequestApprovalStateInput, Record<string, never>>({
      iam: { action: 'codecommit:UpdatePullRequestApprovalState', resource },
      handler: async (input, ctx) => {
        const pr = await revision(ctx, input, true);
        if (pr.status === 'CLOSED') throw inputError('PullRequestAlreadyClosedException');
        if (pr.authorArn === ctx.principalArn) throw inputError('PullRequestCannotBeApprovedByAuthorException');
        const approve = input.approvalState === 'APPROVE';
        prs.change(
          pr,
          ctx.principalArn,
          {
            type: 'PULL_REQUEST_APPROVAL_STATE_CHANGED',
            metadata: { revisionId: pr.revisionId, approvalStatus: input.approvalState },
            busEvent: 'pullRequestApprovalStateChanged',
            busExtra: { approvalStatus: input.approvalState },
          },
          () => approvals.setApproval(pr.id, pr.revisionId, ctx.principalArn, approve),
        );
        return {};
      },
    }),

    EvaluatePullRequestApprovalRules: operation<EvaluatePullRequestApprovalRulesInput, EvaluatePullRequestApprovalRulesOutput>({
      iam: { action: 'codecommit:EvaluatePullRequestApprovalRules', resource },
      handler: async (input, ctx) => ({ evaluation: prs.evaluate(await revision(ctx, input, true)) }),
    }),

    CreatePullRequestApprovalRule: operation<CreatePullRequestApprovalRuleInput, CreatePullRequestApprovalRuleOutput>({
      iam: { action: 'codecommit:CreatePullRequestApprovalRule', resource },
      handler: async (input, ctx) => {
        const pr = await open(ctx, input.pullRequestId);
        parseRuleContent(input.approvalRuleContent!, INVALID_CONTENT);
        const now = prs.now();
        const rule = {
          id: prs.deps.ids.uuid(),
          pullRequestId: pr.id,
          name: input.approvalRuleName!,
          content: input.approvalRuleContent!,
          templateId: null,
          templateName: null,
          lastModifiedUser: ctx.principalArn,
          createdAt: now,
          updatedAt: now,
        };
        ruleEvent(pr, ctx, 'CREATED', rule, () => {
          const existing = approvals.rules(pr.id);
          if (existing.some((r) => r.name === rule.name)) throw inputError('ApprovalRuleNameAlreadyExistsException');
          if (existing.length >= MAX_RULES) throw inputError('NumberOfRulesExceededException');
          approvals.insertRule(rule);
        });
        return { approvalRule: approvalRuleView(rule) };
      },
    }),

    UpdatePullRequestApprovalRuleContent: operation<UpdatePullRequestApprovalRuleContentInput, UpdatePullRequestApprovalRuleContentOutput>({
      iam: { action: 'codecommit:UpdatePullRequestApprovalRuleContent', resource },
      handler: async (input, ctx) => {
        const pr = await open(ctx, input.pullRequestId);
        const rule = approvals.rule(pr.id, input.approvalRuleName!);
        if (!rule) throw inputError('ApprovalRuleDoesNotExistException');
        if (rule.templateId) throw inputError('CannotModifyApprovalRuleFromTemplateException');
        if (input.existingRuleContentSha256 !== undefined && input.existingRuleContentSha256 !== ruleSha256(rule.content)) {
          throw inputError('InvalidRuleContentSha256Exception');
        }
        parseRuleContent(input.newRuleContent!, INVALID_CONTENT);
        ruleEvent(pr, ctx, 'UPDATED', { ...rule, content: input.newRuleContent! }, () =>
          approvals.updateRule(rule.id, input.newRuleContent!, ctx.principalArn, prs.now()),
        );
        return { approvalRule: approvalRuleView(approvals.rule(pr.id, rule.name)!) };
      },
    }),

    DeletePullRequestApprovalRule: operation<DeletePullRequestApprovalRuleInput, DeletePullRequestApprovalRuleOutput>({
      iam: { action: 'codecommit:DeletePullRequestApprovalRule', resource },
      handler: async (input, ctx) => {
        const pr = await open(ctx, input.pullRequestId);
        const rule = approvals.rule(pr.id, input.approvalRuleName!);
        // Deleting a rule that is not there succeeds with an empty id, so retries are harmless.
        if (!rule) return { approvalRuleId: '' };
        if (rule.templateId) throw inputError('CannotDeleteApprovalRuleFromTemplateException');
        ruleEvent(pr, ctx, 'DELETED', rule, () => approvals.deleteRule(rule.id));
        return { approvalRuleId: rule.id };
      },
    }),

    OverridePullRequestApprovalRules: operation<OverridePullRequestApprovalRulesInput, Record<string, never>>({
      iam: { action: 'codecommit:OverridePullRequestApprovalRules', resource },
      handler: async (input, ctx) => {
        const pr = await revision(ctx, input, true);
        if (pr.status === 'CLOSED') throw inputError('PullRequestAlreadyClosedException');
        const override = input.overrideStatus === 'OVERRIDE';
        if (override === (pr.overrideArn !== null)) throw inputError('OverrideAlreadySetException');
        prs.change(
          pr,
          ctx.principalArn,
          {
            type: 'PULL_REQUEST_APPROVAL_RULE_OVERRIDDEN',
            metadata: { revisionId: pr.revisionId, overrideStatus: input.overrideStatus },
            busEvent: 'pullRequestApprovalRuleOverridden',
            busExtra: { overrideStatus: input.overrideStatus },
          },
          () => store.update(pr.id, { overrideArn: override ? ctx.principalArn : null }, prs.now()),
        );
        return {};
      },
    }),

    GetPullRequestOverrideState: operation<GetPullRequestOverrideStateInput, GetPullRequestOverrideStateOutput>({
      iam: { action: 'codecommit:GetPullRequestOverrideState', resource },
      handler: async (input, ctx) => {
        const pr = await revision(ctx, input, false);
        const overridden = input.revisionId === pr.revisionId && pr.overrideArn !== null;
        return { overridden, overrider: overridden ? pr.overrideArn! : undefined };
      },
    }),
  };
}
