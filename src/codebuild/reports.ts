import type { Report, ReportExportConfig, ReportGroup, Tag } from '@aws-sdk/client-codebuild';
import { readFile } from 'node:fs/promises';
import { parseCodeBuildArn, reportArn, reportGroupArn, type Scope } from './arns.js';
import type { Buildspec } from './buildspec.js';
import { selectFiles } from './file-patterns.js';
import type { BuildRecord } from './records.js';
import { COVERAGE_FORMATS, TEST_FORMATS, type ParsedCoverage, type ParsedTestCase } from './report-parsers.js';
import type { CodeBuildStore, ReportGroupRow, ReportRow } from './store.js';

/** Reports are kept 30 days (CodeBuild UG, test reports). */
export const REPORT_TTL_MS = 30 * 24 * 60 * 60_000;

export interface ReportGroupDoc {
  type: 'TEST' | 'CODE_COVERAGE';
  exportConfig: ReportExportConfig;
  tags: Tag[];
}

export interface ReportDoc {
  type: 'TEST' | 'CODE_COVERAGE';
  name: string;
  executionId: string;
  status: string;
  created: number;
  expired: number;
  exportConfig: ReportExportConfig;
  truncated: boolean;
  testSummary?: { total: number; statusCounts: Record<string, number>; durationInNanoSeconds: number };
  codeCoverageSummary?: Record<string, number>;
}

export function reportGroupView(row: ReportGroupRow): ReportGroup {
  const doc = JSON.parse(row.doc) as ReportGroupDoc;
  return {
    arn: row.arn,
    name: row.name,
    type: doc.type,
    exportConfig: doc.exportConfig,
    created: new Date(row.created_at),
    lastModified: new Date(row.updated_at),
    tags: doc.tags,
    status: 'ACTIVE',
  };
}

export function reportView(row: ReportRow): Report {
  const doc = JSON.parse(row.doc) as ReportDoc;
  return {
    arn: row.arn,
    type: doc.type,
    name: doc.name,
    reportGroupArn: row.report_group_arn,
    executionId: doc.executionId,
    status: doc.status as Report['status'],
    created: new Date(doc.created),
    expired: new Date(doc.expired),
    exportConfig: doc.exportConfig,
    truncated: doc.truncated,
    ...(doc.testSummary ? { testSummary: doc.testSummary } : {}),
    ...(doc.codeCoverageSummary ? { codeCoverageSummary: doc.codeCoverageSummary } : {}),
  };
}

export function createReportGroup(store: CodeBuildStore, scope: Scope, name: string, doc: ReportGroupDoc, now: number): ReportGroupRow {
  const row: ReportGroupRow = { arn: reportGroupArn(scope, name), account_id: scope.accountId, region: scope.region, name, doc: JSON.stringify(doc), created_at: now, updated_at: now };
  store.insertReportGroup(row);
  return row;
}

const pct = (covered: number, missed: number) => (covered + missed === 0 ? 0 : Math.round((covered / (covered + missed)) * 10000) / 100);

/**
 * A build's `reports` section: the files each group selects are parsed into a report of that
 * group (a plain name makes, when missing, group `<project>-<name>`), stored with its test cases
 * or coverage lines. Returns the reports' ARNs.
 */
export async function collectReports(
  store: CodeBuildStore,
  b: BuildRecord,
  buildspec: Buildspec,
  root: string,
  now: () => number,
  log: (line: string) => void,
): Promise<string[]> {
  const arns: string[] = [];
  const uuid = b.id.slice(b.id.lastIndexOf(':') + 1);
  for (const [key, spec] of Object.entries(buildspec.reports)) {
    const coverage = spec.fileFormat in COVERAGE_FORMATS;
    const type = coverage ? 'CODE_COVERAGE' : 'TEST';
    let group: ReportGroupRow | undefined;
    if (key.startsWith('arn:')) {
      const parsed = parseCodeBuildArn(key);
      group = parsed?.resourceType === 'report-group' ? store.reportGroup(key) : undefined;
      if (!group) {
        log(`Report group ${key} does not exist; skipping its reports`);
        continue;
      }
    } else {
      const name = `${b.projectName}-${key}`;
      group = store.reportGroup(reportGroupArn(b, name)) ?? createReportGroup(store, b, name, { type, exportConfig: { exportConfigType: 'NO_EXPORT' }, tags: [] }, now());
    }
    const groupDoc = JSON.parse(group.doc) as ReportGroupDoc;
    const parse = coverage ? undefined : TEST_FORMATS[spec.fileFormat];
    const parseCoverage = coverage ? COVERAGE_FORMATS[spec.fileFormat] : undefined;
    if (!parse && !parseCoverage) {
      log(`Report format ${spec.fileFormat} is not supported by codesuite; skipping report group ${group.name}`);
      continue;
    }
    const { matched } = await selectFiles(root, { files: spec.files, baseDirectory: spec.baseDirectory, discardPaths: spec.discardPaths });
    log(`Preparing to copy ${type === 'TEST' ? 'test' : 'code coverage'} report group: ${group.name}`);
    if (matched.length === 0) {
      log(`Report group ${group.name}: no report files found for ${spec.files.join(', ')}`);
      continue;
    }
    const cases: (ParsedTestCase & { path: string })[] = [];
    const coverages: ParsedCoverage[] = [];
    let broken = false;
    for (const file of matched) {
      try {
        const text = await readFile(file.path, 'utf8');
        if (parse) cases.push(...parse(text).map((t) => ({ ...t, path: file.name })));
        else coverages.push(...parseCoverage!(text));
      } catch (err) {
        broken = true;
        log(`Error parsing report file ${file.name}: ${(err as Error).message}`);
      }
    }
    const created = now();
    const arn = reportArn(b, group.name, uuid);
    const doc: ReportDoc = {
      type: groupDoc.type,
      name: group.name,
      executionId: b.arn,
      status: 'SUCCEEDED',
      created,
      expired: created + REPORT_TTL_MS,
      exportConfig: groupDoc.exportConfig,
      truncated: false,
    };
    if (type === 'TEST') {
      // Statuses come from the build's report files: no status may find an inherited member.
      const statusCounts: Record<string, number> = Object.create(null);
      for (const t of cases) statusCounts[t.status] = (statusCounts[t.status] ?? 0) + 1;
      doc.testSummary = { total: cases.length, statusCounts, durationInNanoSeconds: cases.reduce((n, t) => n + t.durationInNanoSeconds, 0) };
      doc.status = broken ? 'INCOMPLETE' : cases.some((t) => t.status === 'FAILED' || t.status === 'ERROR') ? 'FAILED' : 'SUCCEEDED';
    } else {
      const sum = (k: keyof ParsedCoverage) => coverages.reduce((n, f) => n + (f[k] as number), 0);
      const lc = sum('linesCovered');
      const lm = sum('linesMissed');
      const bc = sum('branchesCovered');
      const bm = sum('branchesMissed');
      doc.codeCoverageSummary = { lineCoveragePercentage: pct(lc, lm), linesCovered: lc, linesMissed: lm, branchCoveragePercentage: pct(bc, bm), branchesCovered: bc, branchesMissed: bm };
      doc.status = broken ? 'INCOMPLETE' : 'SUCCEEDED';
    }
    store.transaction(() => {
      store.insertReport({ arn, report_group_arn: group.arn, account_id: b.accountId, region: b.region, status: doc.status, doc: JSON.stringify(doc), created_at: created });
      store.insertTestCases(
        arn,
        cases.map((t) => ({
          status: t.status,
          doc: JSON.stringify({
            reportArn: arn,
            testRawDataPath: t.path,
            prefix: t.prefix,
            name: t.name,
            status: t.status,
            durationInNanoSeconds: t.durationInNanoSeconds,
            ...(t.message ? { message: t.message } : {}),
            expired: doc.expired,
            testSuiteName: t.testSuiteName,
          }),
        })),
      );
      store.insertCoverages(
        arn,
        coverages.map((f, i) => ({
          id: `${uuid}-${i}`,
          filePath: f.filePath,
          linePct: pct(f.linesCovered, f.linesMissed),
          doc: JSON.stringify({
            id: `${uuid}-${i}`,
            reportARN: arn,
            filePath: f.filePath,
            lineCoveragePercentage: pct(f.linesCovered, f.linesMissed),
            linesCovered: f.linesCovered,
            linesMissed: f.linesMissed,
            branchCoveragePercentage: pct(f.branchesCovered, f.branchesMissed),
            branchesCovered: f.branchesCovered,
            branchesMissed: f.branchesMissed,
            expired: doc.expired,
          }),
        })),
      );
    });
    log(`Report ${arn}: ${type === 'TEST' ? `${cases.length} test case(s)` : `${coverages.length} file(s)`}, status ${doc.status}`);
    arns.push(arn);
  }
  return arns;
}
