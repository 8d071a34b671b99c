import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildspecError, parseBuildspec } from '../../src/codebuild/buildspec.js';
import { parseSecretReference } from '../../src/codebuild/environment.js';
import { selectFiles } from '../../src/codebuild/file-patterns.js';
import { tempDir } from '../helpers/git.js';

const error = (text: string) => {
  try {
    parseBuildspec(text);
  } catch (err) {
    if (err instanceof BuildspecError) return err.message;
    throw err;
  }
  throw new Error('expected a YAML_FILE_ERROR');
};

describe('buildspec', () => {
  it('keeps a variable named __proto__ like any other', () => {
    const spec = parseBuildspec('version: 0.2\nenv:\n  variables:\n    __proto__: polluted\n    constructor: c\nphases:\n  build:\n    commands: [echo]\n');
    expect(Object.entries(spec.env.variables)).toEqual([['__proto__', 'polluted'], ['constructor', 'c']]);
  });

  it('reads every section of a 0.2 buildspec', () => {
    const spec = parseBuildspec(`version: 0.2
run-as: root
env:
  shell: bash
  variables: { A: 1, B: "two" }
  parameter-store: { P: /p }
  secrets-manager: { S: "arn:aws:secretsmanager:us-east-1:000000000000:secret:x-AbCdEf:k::" }
  exported-variables: [A]
phases:
  install:
    runtime-versions: { nodejs: 20 }
  build:
    on-failure: continue
    commands: [make, "make test"]
    finally: [echo done]
artifacts:
  files: dist/**/*
  discard-paths: yes
  secondary-artifacts:
    two: { files: [x], base-directory: out }
reports:
  unit: { files: ["**/*.xml"], file-format: junitxml }
cache:
  paths: [/root/.npm/**/*]
`);
    expect(spec.env).toMatchObject({ shell: 'bash', variables: { A: '1', B: 'two' }, parameterStore: { P: '/p' }, exportedVariables: ['A'] });
    expect(spec.phases.build).toEqual({ onFailure: 'CONTINUE', commands: ['make', 'make test'], finally: ['echo done'], runAs: undefined, runtimeVersions: undefined });
    expect(spec.phases.install?.commands).toEqual([]);
    expect(spec.artifacts).toMatchObject({ files: ['dist/**/*'], discardPaths: true, secondary: { two: { files: ['x'], baseDirectory: 'out' } } });
    expect(spec.reports.unit).toEqual({ files: ['**/*.xml'], discardPaths: false, fileFormat: 'JUNITXML', baseDirectory: undefined });
  });

  it('explains what is wrong, with line numbers', () => {
    expect(error('version: 0.2\nphases:\n  build:\n    commands:\n      - echo a: b\n')).toBe(
      "Expected Commands[0] to be of string type: found subkeys instead at line 5, value of the key 'echo a' on line 5 might be empty",
    );
    expect(error('version: 0.2\nphases: [1,\n')).toMatch(/at line \d+$/);
    expect(error('phases: {}\n')).toBe('missing version key in buildspec');
    expect(error('version: 0.3\n')).toMatch(/invalid buildspec version: 0.3/);
    expect(error('version: 0.2\nphases:\n  compile:\n    commands: [x]\n')).toMatch(/unknown phase name: compile/);
    expect(error('version: 0.2\nphases:\n  build: {}\n')).toMatch(/commands is required/);
    expect(error('version: 0.2\nenv:\n  variables:\n    CODEBUILD_X: 1\n')).toMatch(/reserved/);
    expect(error('version: 0.2\nenv:\n  exported-variables: [AWS_REGION]\n')).toMatch(/cannot be exported/);
    expect(error('version: 0.2\nartifacts:\n  name: x\n')).toMatch(/artifacts.files is required/);
  });

  it('parses Secrets Manager references, ARNs included', () => {
    expect(parseSecretReference('db:password')).toEqual({ secretId: 'db', jsonKey: 'password' });
    expect(parseSecretReference('db::AWSPREVIOUS')).toEqual({ secretId: 'db', versionStage: 'AWSPREVIOUS' });
    expect(parseSecretReference('arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf:user::v1')).toEqual({
      secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf',
      jsonKey: 'user',
      versionId: 'v1',
    });
  });

  it('selects artifact files like CodeBuild', async () => {
    const dir = tempDir();
    for (const f of ['a.txt', 'dist/app.js', 'dist/lib/x.js', 'dist/lib/x.map', 'out/one/r.xml', 'out/two/s.xml']) {
      mkdirSync(join(dir.path, f, '..'), { recursive: true });
      writeFileSync(join(dir.path, f), f);
    }
    const names = async (o: Parameters<typeof selectFiles>[1]) => (await selectFiles(dir.path, o)).matched.map((m) => m.name).sort();
    expect(await names({ files: ['**/*'] })).toEqual(['a.txt', 'dist/app.js', 'dist/lib/x.js', 'dist/lib/x.map', 'out/one/r.xml', 'out/two/s.xml']);
    expect(await names({ files: ['dist/*'] })).toEqual(['dist/app.js']);
    expect(await names({ files: ['dist/**/*'], excludePaths: ['**/*.map'] })).toEqual(['dist/app.js', 'dist/lib/x.js']);
    expect(await names({ files: ['**/*'], baseDirectory: 'dist', discardPaths: true })).toEqual(['app.js', 'x.js', 'x.map']);
    expect(await names({ files: ['*.xml'], baseDirectory: 'out/*' })).toEqual(['r.xml', 's.xml']);
    expect((await selectFiles(dir.path, { files: ['nope/*', 'a.txt'] })).unmatched).toEqual(['nope/*']);
    dir.remove();
  });
});
