/**
 * The shell scripts the phase runner hands the executor. As CodeBuild's agent does for buildspec
 * 0.2, every command runs in a fresh shell that first restores the environment and working
 * directory the previous command left (`env.sh`, `dir.txt` in the agent's scratch directory) and
 * saves them again on exit, whatever way the command exits; so shell variables, exported or not,
 * and `cd` carry from command to command and phase to phase. Only shell builtins are used, so any
 * image with a POSIX shell works.
 */

export const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export interface ScriptOptions {
  tmpDir: string;
  srcDir: string;
  /** Buildspec 0.2 carries state between commands; 0.1 runs each in a clean shell from the source directory. */
  carry: boolean;
  succeeding: boolean;
}

/** The file the build's variables start in (written once, before INSTALL). */
export const BASE_ENV_FILE = 'base.sh';

function restore(o: ScriptOptions): string[] {
  const base = quote(`${o.tmpDir}/${BASE_ENV_FILE}`);
  const env = quote(`${o.tmpDir}/env.sh`);
  const dir = quote(`${o.tmpDir}/dir.txt`);
  if (!o.carry) return [`if [ -r ${base} ]; then . ${base} >/dev/null 2>&1; fi`, `cd ${quote(o.srcDir)} || exit 1`];
  return [
    `if [ -r ${env} ]; then . ${env} >/dev/null 2>&1; elif [ -r ${base} ]; then . ${base} >/dev/null 2>&1; fi`,
    `if [ -r ${dir} ] && read -r codesuite_dir < ${dir}; then cd "$codesuite_dir" 2>/dev/null || cd ${quote(o.srcDir)}; else cd ${quote(o.srcDir)}; fi`,
    'unset codesuite_dir',
  ];
}

/** The script that runs one buildspec command. */
export function commandScript(command: string, o: ScriptOptions): string {
  const lines = restore(o);
  lines.push(`CODEBUILD_BUILD_SUCCEEDING=${o.succeeding ? 1 : 0}; export CODEBUILD_BUILD_SUCCEEDING`);
  if (o.carry) {
    const env = quote(`${o.tmpDir}/env.sh`);
    const dir = quote(`${o.tmpDir}/dir.txt`);
    lines.push(
      `codesuite_save() { trap - EXIT; export -p > ${env} 2>/dev/null; pwd > ${dir} 2>/dev/null; exit "$1"; }`,
      `trap 'codesuite_save $?' EXIT`,
      // Every variable the command sets is exported, so `export -p` carries unexported ones too.
      'set -a',
    );
  }
  lines.push(command, '');
  return lines.join('\n');
}

/** Prints the values of variables, each NUL-terminated, from the saved environment. */
export function readVariablesScript(names: string[], o: ScriptOptions): string {
  const lines = restore(o);
  for (const name of names) lines.push(`printf '%s\\0' "\${${name}-}"`);
  return lines.join('\n') + '\n';
}

/** Expands a text as the shell would inside double quotes (`artifacts.name: build-$(date +%F)`). */
export function expandScript(text: string, o: ScriptOptions): string {
  const escaped = text.replace(/[\\"]/g, '\\$&');
  return [...restore(o), `printf '%s' "${escaped}"`, ''].join('\n');
}

/** Initial contents of env.sh: the variables the build starts with, in the shell's own syntax. */
export function environmentFile(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join('\n') + '\n';
}

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
