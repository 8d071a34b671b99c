import type {
  BatchGetReportGroupsInput,
  BatchGetReportGroupsOutput,
  BatchGetReportsInput,
  BatchGetReportsOutput,
  CodeCoverage,
  CreateReportGroupInput,
  CreateReportGroupOutput,
  DeleteReportGroupInput,
  DeleteReportGroupOutput,
  DeleteReportInput,
  DeleteReportOutput,
  DescribeCodeCoveragesInput,
  DescribeCodeCoveragesOutput,
  DescribeTestCasesInput,
  DescribeTestCasesOutput,
  GetReportGroupTrendInput,
  GetReportGroupTrendOutput,
  ListReportGroupsInput,
  ListReportGroupsOutput,
  ListReportsForReportGroupInput,
  ListReportsForReportGroupOutput,
  ListReportsInput,
  ListReportsOutput,
  ListSharedReportGroupsInput,
  ListSharedReportGroupsOutput,
  ReportExportConfig,
  TestCase,
  UpdateReportGroupInput,
  UpdateReportGroupOutput,
} from '@aws-sdk/client-codebuild';
import { operation, type OperationSpec } from '../core/service.js';
import { parseCodeBuildArn, reportGroupArn } from './arns.js';
import type { CodeBuildContext } from './context.js';
import { alreadyExists, invalidInput, resourceNotFound } from './errors.js';
import { page } from './pagination.js';
import { sharedWith } from './policy-operations.js';
import { createReportGroup, reportGroupView, reportView, type ReportDoc, type ReportGroupDoc } from './reports.js';

/** The report group a report belongs to: `report/<group>:<id>` → `report-group/<group>`. */
const groupOfReport = (arn: string) => arn.replace(/:report\/(.+):[^:]+$/, ':report-group/$1');

function checkExportConfig(config: ReportExportConfig): ReportExportConfig {
  if (config.exportConfigType === 'S3' && !config.s3Destination?.bucket) throw invalidInput('Invalid input: s3Destination.bucket must be specified for exportConfigType S3');
  return config;
}

const PAGE = 100;

export function reportOperations(c: CodeBuildContext): Record<string, OperationSpec> {
  const requireGroup = (arn: string) => {
    const row = c.store.reportGroup(arn);
    if (!row) throw resourceNotFound(`Report group not found: ${arn}`);
    return row;
  };
  const requireReport = (arn: string) => {
    const row = c.store.report(arn);
    if (!row) throw resourceNotFound(`Report not found: ${arn}`);
    return row;
  };

  return {
    CreateReportGroup: operation<CreateReportGroupInput, CreateReportGroupOutput>({
      iam: { action: 'codebuild:CreateReportGroup', resource: (i, ctx) => reportGroupArn(ctx, i.name ?? '') },
      handler: (input, ctx) => {
        if (c.store.reportGroup(reportGroupArn(ctx, input.name!))) throw alreadyExists(`Report group already exists: ${reportGroupArn(ctx, input.name!)}`);
        const doc: ReportGroupDoc = { type: input.type as ReportGroupDoc['type'], exportConfig: checkExportConfig(input.exportConfig!), tags: input.tags ?? [] };
        return { reportGroup: reportGroupView(createReportGroup(c.store, ctx, input.name!, doc, c.now())) };
      },
    }),

    UpdateReportGroup: operation<UpdateReportGroupInput, UpdateReportGroupOutput>({
      iam: { action: 'codebuild:UpdateReportGroup', resource: (i) => i.arn ?? '' },
      handler: (input) => {
        const row = requireGroup(input.arn!);
        const doc = JSON.parse(row.doc) as ReportGroupDoc;
        if (input.exportConfig) doc.exportConfig = checkExportConfig(input.exportConfig);
        if (input.tags) doc.tags = input.tags;
        c.store.updateReportGroup(row.arn, JSON.stringify(doc), c.now());
        return { reportGroup: reportGroupView(c.store.reportGroup(row.arn)!) };
      },
    }),

    DeleteReportGroup: operation<DeleteReportGroupInput, DeleteReportGroupOutput>({
      iam: { action: 'codebuild:DeleteReportGroup', resource: (i) => i.arn ?? '' },
      handler: (input) => {
        const row = c.store.reportGroup(input.arn!);
        if (!row) return {};
        if (!input.deleteReports && c.store.reports({ accountId: row.account_id, region: row.region }, 'ASC', row.arn).length > 0) {
          throw invalidInput(`Cannot delete report group ${row.arn} because it contains reports; set deleteReports to delete them too`);
        }
        c.store.deleteReportGroup(row.arn);
        c.store.deletePolicy(row.arn);
        return {};
      },
    }),

    BatchGetReportGroups: operation<BatchGetReportGroupsInput, BatchGetReportGroupsOutput>({
      iam: { action: 'codebuild:BatchGetReportGroups', resource: (i) => i.reportGroupArns?.[0] ?? '*' },
      handler: (input) => {
        const reportGroups = [];
        const reportGroupsNotFound = [];
        for (const arn of input.reportGroupArns ?? []) {
          const row = c.store.reportGroup(arn);
          if (row) reportGroups.push(reportGroupView(row));
          else reportGroupsNotFound.push(arn);
        }
        return { reportGroups, reportGroupsNotFound };
      },
    }),

    ListReportGroups: operation<ListReportGroupsInput, ListReportGroupsOutput>({
      iam: { action: 'codebuild:ListReportGroups', resource: () => '*' },
      handler: (input, ctx) => {
        const by = input.sortBy ?? 'CREATED_TIME';
        const rows = c.store.reportGroups(ctx).sort((a, b) => {
          const x = by === 'NAME' ? a.name : by === 'CREATED_TIME' ? a.created_at : a.updated_at;
          const y = by === 'NAME' ? b.name : by === 'CREATED_TIME' ? b.created_at : b.updated_at;
          const cmp = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
          return input.sortOrder === 'DESCENDING' ? -cmp : cmp;
        });
        const { items, nextToken } = page(rows.map((r) => r.arn), input.nextToken, input.maxResults ?? PAGE);
        return { reportGroups: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    ListSharedReportGroups: operation<ListSharedReportGroupsInput, ListSharedReportGroupsOutput>({
      iam: { action: 'codebuild:ListSharedReportGroups', resource: () => '*' },
      handler: (input, ctx) => {
        const arns = sharedWith(c, ctx.accountId, 'report-group').sort();
        if (input.sortOrder === 'DESCENDING') arns.reverse();
        const { items, nextToken } = page(arns, input.nextToken, input.maxResults ?? PAGE);
        return { reportGroups: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    BatchGetReports: operation<BatchGetReportsInput, BatchGetReportsOutput>({
      iam: { action: 'codebuild:BatchGetReports', resource: (i) => groupOfReport(i.reportArns?.[0] ?? '*') },
      handler: (input) => {
        const reports = [];
        const reportsNotFound = [];
        for (const arn of input.reportArns ?? []) {
          const row = c.store.report(arn);
          if (row) reports.push(reportView(row));
          else reportsNotFound.push(arn);
        }
        return { reports, reportsNotFound };
      },
    }),

    ListReports: operation<ListReportsInput, ListReportsOutput>({
      iam: { action: 'codebuild:ListReports', resource: () => '*' },
      handler: (input, ctx) => {
        const rows = c.store.reports(ctx, input.sortOrder === 'ASCENDING' ? 'ASC' : 'DESC').filter((r) => !input.filter?.status || r.status === input.filter.status);
        const { items, nextToken } = page(rows.map((r) => r.arn), input.nextToken, input.maxResults ?? PAGE);
        return { reports: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    ListReportsForReportGroup: operation<ListReportsForReportGroupInput, ListReportsForReportGroupOutput>({
      iam: { action: 'codebuild:ListReportsForReportGroup', resource: (i) => i.reportGroupArn ?? '' },
      handler: (input, ctx) => {
        requireGroup(input.reportGroupArn!);
        const rows = c.store
          .reports(ctx, input.sortOrder === 'ASCENDING' ? 'ASC' : 'DESC', input.reportGroupArn)
          .filter((r) => !input.filter?.status || r.status === input.filter.status);
        const { items, nextToken } = page(rows.map((r) => r.arn), input.nextToken, input.maxResults ?? PAGE);
        return { reports: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    DeleteReport: operation<DeleteReportInput, DeleteReportOutput>({
      iam: { action: 'codebuild:DeleteReport', resource: (i) => groupOfReport(i.arn ?? '') },
      handler: (input) => {
        c.store.transaction(() => c.store.deleteReport(input.arn!));
        return {};
      },
    }),

    DescribeTestCases: operation<DescribeTestCasesInput, DescribeTestCasesOutput>({
      iam: { action: 'codebuild:DescribeTestCases', resource: (i) => groupOfReport(i.reportArn ?? '') },
      handler: (input) => {
        requireReport(input.reportArn!);
        const keyword = input.filter?.keyword?.toLowerCase();
        const cases = c.store
          .testCases(input.reportArn!)
          .filter((r) => !input.filter?.status || r.status === input.filter.status)
          .map((r) => JSON.parse(r.doc) as TestCase & { expired: number })
          .filter((t) => !keyword || `${t.prefix ?? ''} ${t.name ?? ''}`.toLowerCase().includes(keyword))
          .map((t) => ({ ...t, expired: new Date(t.expired) }));
        const { items, nextToken } = page(cases, input.nextToken, input.maxResults ?? PAGE);
        return { testCases: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    DescribeCodeCoverages: operation<DescribeCodeCoveragesInput, DescribeCodeCoveragesOutput>({
      iam: { action: 'codebuild:DescribeCodeCoverages', resource: (i) => groupOfReport(i.reportArn ?? '') },
      handler: (input) => {
        requireReport(input.reportArn!);
        const min = input.minLineCoveragePercentage ?? 0;
        const max = input.maxLineCoveragePercentage ?? 100;
        const rows = c.store
          .coverages(input.reportArn!)
          .filter((r) => r.line_pct >= min && r.line_pct <= max)
          .sort((a, b) => {
            const cmp = input.sortBy === 'FILE_PATH' ? a.file_path.localeCompare(b.file_path) : a.line_pct - b.line_pct;
            return input.sortOrder === 'DESCENDING' ? -cmp : cmp;
          })
          .map((r) => {
            const doc = JSON.parse(r.doc) as CodeCoverage & { expired: number };
            return { ...doc, expired: new Date(doc.expired) };
          });
        const { items, nextToken } = page(rows, input.nextToken, input.maxResults ?? PAGE);
        return { codeCoverages: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    GetReportGroupTrend: operation<GetReportGroupTrendInput, GetReportGroupTrendOutput>({
      iam: { action: 'codebuild:GetReportGroupTrend', resource: (i) => i.reportGroupArn ?? '' },
      handler: (input) => {
        const group = requireGroup(input.reportGroupArn!);
        const scope = parseCodeBuildArn(group.arn)!;
        const reports = c.store.reports(scope, 'DESC', group.arn).slice(0, input.numOfReports ?? 100);
        const field = input.trendField!;
        const rawData = reports.flatMap((r) => {
          const doc = JSON.parse(r.doc) as ReportDoc;
          const t = doc.testSummary;
          const cov = doc.codeCoverageSummary;
          const value: Record<string, number | undefined> = {
            PASS_RATE: t ? (t.total ? ((t.statusCounts.SUCCEEDED ?? 0) / t.total) * 100 : 0) : undefined,
            DURATION: t?.durationInNanoSeconds,
            TOTAL: t?.total,
            LINE_COVERAGE: cov?.lineCoveragePercentage,
            LINES_COVERED: cov?.linesCovered,
            LINES_MISSED: cov?.linesMissed,
            BRANCH_COVERAGE: cov?.branchCoveragePercentage,
            BRANCHES_COVERED: cov?.branchesCovered,
            BRANCHES_MISSED: cov?.branchesMissed,
          };
          const v = value[field];
          return v === undefined ? [] : [{ reportArn: r.arn, data: String(v) }];
        });
        const numbers = rawData.map((d) => Number(d.data));
        const stats = numbers.length
          ? { average: String(numbers.reduce((a, b) => a + b, 0) / numbers.length), max: String(Math.max(...numbers)), min: String(Math.min(...numbers)) }
          : {};
        return { stats, rawData };
      },
    }),
  };
}
