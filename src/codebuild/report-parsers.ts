import { parseXml, type XmlElement } from './xml.js';

export interface ParsedTestCase {
  prefix: string;
  name: string;
  status: 'SUCCEEDED' | 'FAILED' | 'ERROR' | 'SKIPPED';
  durationInNanoSeconds: number;
  message?: string;
  testSuiteName: string;
}

export interface ParsedCoverage {
  filePath: string;
  linesCovered: number;
  linesMissed: number;
  branchesCovered: number;
  branchesMissed: number;
}

const seconds = (v: string | undefined) => Math.round((Number.parseFloat(v ?? '0') || 0) * 1e9);

/** Every `<testsuite>`, nested ones included. */
function suites(e: XmlElement): XmlElement[] {
  return [...(e.name === 'testsuite' ? [e] : []), ...e.children.flatMap(suites)];
}

/** JUnit XML: `<testsuites>`/`<testsuite>` with `<testcase>` children carrying `<failure>`, `<error>` or `<skipped>`. */
export function parseJUnit(text: string): ParsedTestCase[] {
  const root = parseXml(text);
  const out: ParsedTestCase[] = [];
  for (const suite of suites(root)) {
    for (const tc of suite.children.filter((c) => c.name === 'testcase')) {
      const failure = tc.children.find((c) => c.name === 'failure');
      const error = tc.children.find((c) => c.name === 'error');
      const skipped = tc.children.find((c) => c.name === 'skipped');
      const problem = failure ?? error;
      const message = problem ? [problem.attributes.message, problem.text.trim()].filter(Boolean).join('\n') : skipped?.attributes.message;
      out.push({
        prefix: tc.attributes.classname ?? '',
        name: tc.attributes.name ?? '',
        status: failure ? 'FAILED' : error ? 'ERROR' : skipped ? 'SKIPPED' : 'SUCCEEDED',
        durationInNanoSeconds: seconds(tc.attributes.time),
        ...(message ? { message } : {}),
        testSuiteName: suite.attributes.name ?? '',
      });
    }
  }
  return out;
}

interface CucumberStep {
  result?: { status?: string; duration?: number; error_message?: string };
}

/** Cucumber JSON: features with scenario elements whose steps carry results (durations in nanoseconds). */
export function parseCucumber(text: string): ParsedTestCase[] {
  const features = JSON.parse(text) as { name?: string; uri?: string; elements?: { name?: string; type?: string; steps?: CucumberStep[] }[] }[];
  if (!Array.isArray(features)) throw new Error('a Cucumber JSON report is an array of features');
  const out: ParsedTestCase[] = [];
  for (const feature of features) {
    for (const element of feature.elements ?? []) {
      if (element.type === 'background') continue;
      const steps = element.steps ?? [];
      const statuses = steps.map((s) => s.result?.status ?? 'undefined');
      const failed = steps.find((s) => s.result?.status === 'failed');
      const status: ParsedTestCase['status'] = failed
        ? 'FAILED'
        : statuses.length > 0 && statuses.every((s) => s === 'passed')
          ? 'SUCCEEDED'
          : statuses.some((s) => s === 'passed' || s === 'failed')
            ? 'ERROR'
            : 'SKIPPED';
      out.push({
        prefix: feature.name ?? feature.uri ?? '',
        name: element.name ?? '',
        status,
        durationInNanoSeconds: steps.reduce((n, s) => n + (s.result?.duration ?? 0), 0),
        ...(failed?.result?.error_message ? { message: failed.result.error_message } : {}),
        testSuiteName: feature.name ?? '',
      });
    }
  }
  return out;
}

/** Cobertura XML: `<class filename=...>` elements with `<line hits= branch= condition-coverage=>`. */
export function parseCobertura(text: string): ParsedCoverage[] {
  const root = parseXml(text);
  const files = new Map<string, ParsedCoverage>();
  const visit = (e: XmlElement) => {
    if (e.name === 'class' && e.attributes.filename) {
      const f = files.get(e.attributes.filename) ?? { filePath: e.attributes.filename, linesCovered: 0, linesMissed: 0, branchesCovered: 0, branchesMissed: 0 };
      const lines = e.children.find((c) => c.name === 'lines')?.children.filter((c) => c.name === 'line') ?? [];
      for (const line of lines) {
        if (Number(line.attributes.hits ?? 0) > 0) f.linesCovered++;
        else f.linesMissed++;
        const m = /\((\d+)\/(\d+)\)/.exec(line.attributes['condition-coverage'] ?? '');
        if (line.attributes.branch === 'true' && m) {
          f.branchesCovered += Number(m[1]);
          f.branchesMissed += Number(m[2]) - Number(m[1]);
        }
      }
      files.set(f.filePath, f);
    }
    e.children.forEach(visit);
  };
  visit(root);
  return [...files.values()];
}

/** JaCoCo XML: `<package name><sourcefile name>` with LINE and BRANCH `<counter>`s. */
export function parseJacoco(text: string): ParsedCoverage[] {
  const root = parseXml(text);
  const out: ParsedCoverage[] = [];
  for (const pkg of root.children.filter((c) => c.name === 'package')) {
    for (const file of pkg.children.filter((c) => c.name === 'sourcefile')) {
      const counter = (type: string) => file.children.find((c) => c.name === 'counter' && c.attributes.type === type)?.attributes;
      const line = counter('LINE');
      const branch = counter('BRANCH');
      out.push({
        filePath: `${pkg.attributes.name ? `${pkg.attributes.name}/` : ''}${file.attributes.name}`,
        linesCovered: Number(line?.covered ?? 0),
        linesMissed: Number(line?.missed ?? 0),
        branchesCovered: Number(branch?.covered ?? 0),
        branchesMissed: Number(branch?.missed ?? 0),
      });
    }
  }
  return out;
}

export const TEST_FORMATS: Record<string, (text: string) => ParsedTestCase[]> = { JUNITXML: parseJUnit, CUCUMBERJSON: parseCucumber };
export const COVERAGE_FORMATS: Record<string, (text: string) => ParsedCoverage[]> = { COBERTURAXML: parseCobertura, JACOCOXML: parseJacoco };
