import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export type PhaseName = 'install' | 'pre_build' | 'build' | 'post_build';
export const PHASE_NAMES: PhaseName[] = ['install', 'pre_build', 'build', 'post_build'];

export interface PhaseSpec {
  runAs?: string;
  /** Unset: the default transitions; ABORT ends the build; CONTINUE goes on to the next phase. */
  onFailure?: 'ABORT' | 'CONTINUE';
  commands: string[];
  finally: string[];
  runtimeVersions?: Record<string, string>;
}

export interface ArtifactSpec {
  files: string[];
  name?: string;
  discardPaths: boolean;
  baseDirectory?: string;
  excludePaths: string[];
  enableSymlinks: boolean;
  s3Prefix?: string;
}

export interface ReportSpec {
  files: string[];
  baseDirectory?: string;
  discardPaths: boolean;
  fileFormat: string;
}

/** A buildspec as the phase runner needs it, checked against the buildspec reference. */
export interface Buildspec {
  version: '0.1' | '0.2';
  runAs?: string;
  env: {
    shell?: string;
    variables: Record<string, string>;
    parameterStore: Record<string, string>;
    secretsManager: Record<string, string>;
    exportedVariables: string[];
    gitCredentialHelper: boolean;
  };
  phases: Partial<Record<PhaseName, PhaseSpec>>;
  artifacts?: ArtifactSpec & { secondary: Record<string, ArtifactSpec> };
  reports: Record<string, ReportSpec>;
  cache?: { paths: string[] };
}

/** A buildspec CodeBuild cannot run: the DOWNLOAD_SOURCE phase fails with YAML_FILE_ERROR and this message. */
export class BuildspecError extends Error {}

const REPORT_FORMATS = ['JUNITXML', 'CUCUMBERJSON', 'NUNITXML', 'NUNIT3XML', 'TESTNGXML', 'VISUALSTUDIOTRX', 'CLOVERXML', 'COBERTURAXML', 'JACOCOXML', 'SIMPLECOV'];

export function parseBuildspec(text: string): Buildspec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new BuildspecError(`${err.message.replace(/\.$/, '').toLowerCase()} at line ${lines.linePos(err.pos[0]).line}`);
  }
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 0);
  const root = doc.contents;
  if (!isMap(root)) throw new BuildspecError('buildspec is not a YAML mapping');
  const top = doc.toJS() as Record<string, unknown>;

  const version = top.version === undefined ? undefined : String(top.version);
  if (version === undefined) throw new BuildspecError('missing version key in buildspec');
  if (version !== '0.1' && version !== '0.2') throw new BuildspecError(`invalid buildspec version: ${version}; supported versions are 0.1 and 0.2`);

  const env = mapOf(top.env, 'env');
  const phasesNode = root.get('phases', true) as Node | undefined;
  const phases: Buildspec['phases'] = {};
  const phasesJs = mapOf(top.phases, 'phases');
  for (const [name, raw] of Object.entries(phasesJs)) {
    if (!PHASE_NAMES.includes(name as PhaseName)) throw new BuildspecError(`unknown phase name: ${name}; phases are install, pre_build, build and post_build`);
    const phase = mapOf(raw ?? {}, `phases.${name}`);
    const phaseNode = isMap(phasesNode) ? (phasesNode.get(name, true) as Node | undefined) : undefined;
    const commandsNode = isMap(phaseNode) ? (phaseNode.get('commands', true) as Node | undefined) : undefined;
    const finallyNode = isMap(phaseNode) ? (phaseNode.get('finally', true) as Node | undefined) : undefined;
    if (phase.commands === undefined && name !== 'install') {
      throw new BuildspecError(`phases.${name}: commands is required at line ${lineOf(phaseNode ?? phasesNode)}`);
    }
    const onFailure = phase['on-failure'] === undefined ? undefined : String(phase['on-failure']).toUpperCase();
    if (onFailure !== undefined && onFailure !== 'ABORT' && onFailure !== 'CONTINUE') {
      throw new BuildspecError(`invalid on-failure value ${phase['on-failure']} in phase ${name}; supported values are ABORT and CONTINUE`);
    }
    phases[name as PhaseName] = {
      runAs: optionalString(phase['run-as']),
      onFailure: onFailure as PhaseSpec['onFailure'],
      commands: commandList(phase.commands, commandsNode, lineOf),
      finally: commandList(phase.finally, finallyNode, lineOf),
      runtimeVersions: phase['runtime-versions'] === undefined ? undefined : stringMap(phase['runtime-versions'], `phases.${name}.runtime-versions`),
    };
  }

  const variables = stringMap(env.variables ?? {}, 'env.variables');
  for (const name of Object.keys(variables)) {
    if (name.startsWith('CODEBUILD_')) throw new BuildspecError(`invalid environment variable name ${name}: names starting with CODEBUILD_ are reserved`);
  }
  const exportedVariables = stringList(env['exported-variables'], 'env.exported-variables');
  for (const name of exportedVariables) {
    if (name.startsWith('AWS_')) throw new BuildspecError(`invalid exported variable ${name}: names starting with AWS_ cannot be exported`);
  }

  const spec: Buildspec = {
    version,
    runAs: optionalString(top['run-as']),
    env: {
      shell: optionalString(env.shell),
      variables,
      parameterStore: stringMap(env['parameter-store'] ?? {}, 'env.parameter-store'),
      secretsManager: stringMap(env['secrets-manager'] ?? {}, 'env.secrets-manager'),
      exportedVariables,
      gitCredentialHelper: yes(env['git-credential-helper']),
    },
    phases,
    reports: {},
  };
  if (spec.env.shell !== undefined && !['bash', '/bin/sh', 'sh'].includes(spec.env.shell)) {
    throw new BuildspecError(`invalid shell ${spec.env.shell}; supported shells on Linux are bash and /bin/sh`);
  }
  for (const name of Object.keys(spec.env.parameterStore)) {
    if (exportedVariables.includes(name)) throw new BuildspecError(`invalid exported variable ${name}: parameter-store variables cannot be exported`);
  }
  for (const name of Object.keys(spec.env.secretsManager)) {
    if (exportedVariables.includes(name)) throw new BuildspecError(`invalid exported variable ${name}: secrets-manager variables cannot be exported`);
  }

  if (top.artifacts !== undefined && top.artifacts !== null) {
    const artifacts = mapOf(top.artifacts, 'artifacts');
    // Identifiers are the buildspec's: without a prototype, `__proto__` is one like any other.
    const secondary: Record<string, ArtifactSpec> = Object.create(null);
    for (const [id, raw] of Object.entries(mapOf(artifacts['secondary-artifacts'] ?? {}, 'artifacts.secondary-artifacts'))) {
      secondary[id] = artifactSpec(mapOf(raw, `artifacts.secondary-artifacts.${id}`), `artifacts.secondary-artifacts.${id}`);
    }
    const primaryFiles = artifacts.files;
    spec.artifacts = {
      ...(primaryFiles === undefined ? { files: [], discardPaths: false, excludePaths: [], enableSymlinks: false } : artifactSpec(artifacts, 'artifacts')),
      secondary,
    };
    if (primaryFiles === undefined && Object.keys(secondary).length === 0) throw new BuildspecError('artifacts.files is required when artifacts is present');
  }

  for (const [group, raw] of Object.entries(mapOf(top.reports ?? {}, 'reports'))) {
    const report = mapOf(raw, `reports.${group}`);
    if (report.files === undefined) throw new BuildspecError(`reports.${group}.files is required`);
    const format = report['file-format'] === undefined ? 'JUNITXML' : String(report['file-format']).toUpperCase();
    if (!REPORT_FORMATS.includes(format)) throw new BuildspecError(`invalid file-format ${report['file-format']} for report group ${group}`);
    spec.reports[group] = {
      files: stringList(report.files, `reports.${group}.files`),
      baseDirectory: optionalString(report['base-directory']),
      discardPaths: yes(report['discard-paths']),
      fileFormat: format,
    };
  }
  if (Object.keys(spec.reports).length > 5) throw new BuildspecError('a buildspec can name at most 5 report groups');

  if (top.cache !== undefined && top.cache !== null) {
    const cache = mapOf(top.cache, 'cache');
    if (cache.paths === undefined) throw new BuildspecError('cache.paths is required when cache is present');
    spec.cache = { paths: stringList(cache.paths, 'cache.paths') };
  }
  return spec;
}

function artifactSpec(raw: Record<string, unknown>, where: string): ArtifactSpec {
  if (raw.files === undefined) throw new BuildspecError(`${where}.files is required`);
  return {
    files: stringList(raw.files, `${where}.files`),
    name: optionalString(raw.name),
    discardPaths: yes(raw['discard-paths']),
    baseDirectory: optionalString(raw['base-directory']),
    excludePaths: stringList(raw['exclude-paths'], `${where}.exclude-paths`),
    enableSymlinks: yes(raw['enable-symlinks']),
    s3Prefix: optionalString(raw['s3-prefix']),
  };
}

function commandList(value: unknown, node: Node | undefined, lineOf: (n: Node | null | undefined) => number): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BuildspecError(`Expected Commands to be of list type at line ${lineOf(node)}`);
  return value.map((command, i) => {
    if (typeof command === 'string') return command;
    if (typeof command === 'number' || typeof command === 'boolean') return String(command);
    const item = isSeq(node) ? (node.items[i] as Node | undefined) : undefined;
    const key = isMap(item) && item.items[0] && isScalar(item.items[0].key) ? String(item.items[0].key.value) : '';
    throw new BuildspecError(
      `Expected Commands[${i}] to be of string type: found subkeys instead at line ${lineOf(item)}, value of the key '${key}' on line ${lineOf(item)} might be empty`,
    );
  });
}

function mapOf(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new BuildspecError(`${where} must be a mapping`);
  return value as Record<string, unknown>;
}

function stringMap(value: unknown, where: string): Record<string, string> {
  // Without a prototype, a variable named `__proto__` is a variable like any other.
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(mapOf(value, where))) {
    if (v !== null && typeof v === 'object') throw new BuildspecError(`${where}.${k} must be a string`);
    out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new BuildspecError(`${where} must be a list of strings`);
  return value.map((v) => {
    if (v !== null && typeof v === 'object') throw new BuildspecError(`${where} must be a list of strings`);
    return String(v);
  });
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function yes(value: unknown): boolean {
  return value === true || (typeof value === 'string' && ['yes', 'true', 'on'].includes(value.toLowerCase()));
}
