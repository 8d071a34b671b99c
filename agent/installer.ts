import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { appendFile, chmod, copyFile, lstat, mkdir, readFile, readlink, rm, rmdir, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AppSpec, Permission } from './appspec.js';

const run = promisify(execFile);

/**
 * The Install command as agent v1 does it (`installer.rb`, `install_instruction.rb`): remove what
 * the group's previous Install created (its `-cleanup` list), plan copies and directories from the
 * AppSpec's `files` and `permissions`, write the plan to `<group>-install.json`, then carry it out
 * while recording every created path in `<group>-cleanup`.
 */
type Instruction =
  | { type: 'copy'; source: string; destination: string }
  | { type: 'mkdir'; directory: string }
  | { type: 'chmod'; mode: string; file: string }
  | { type: 'setfacl'; acl: string[]; file: string }
  | { type: 'semanage'; context: { user: string | null; role: null; type: string; range: string | null }; file: string }
  | { type: 'chown'; owner: string | null; group: string | null; file: string };

export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN';

/** File.exists? in Ruby: follows links, so a dangling link does not exist. */
const exists = (path: string) => existsSync(path);
const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};
const isSymlink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

class Plan {
  readonly instructions: Instruction[] = [];
  private readonly copyTargets = new Map<string, string>();
  private readonly mkdirTargets = new Set<string>();
  private readonly permissionTargets = new Set<string>();

  copy(source: string, destination: string): void {
    destination = resolve(destination);
    const other = this.copyTargets.get(destination);
    if (other !== undefined) throw new Error(`The deployment failed because the application specification file specifies two source files named ${source} and ${other} for the same destination (${destination}). Remove one of the source file paths from the AppSpec file, and then try again.`);
    if (this.mkdirTargets.has(destination)) throw new Error(`The deployment failed because the application specification file calls for installing the file ${source}, but a file with that name already exists at the location (${destination}). Update your AppSpec file or directory structure, and then try again.`);
    this.instructions.push({ type: 'copy', source, destination });
    this.copyTargets.set(destination, source);
  }

  mkdir(directory: string): void {
    directory = resolve(directory);
    if (this.copyTargets.has(directory)) throw new Error(`The deployment failed because the application specification file includes an mkdir command more than once for the same destination path (${directory}) from (${this.copyTargets.get(directory)}). Update the files section of the AppSpec file, and then try again.`);
    if (!this.mkdirTargets.has(directory)) this.instructions.push({ type: 'mkdir', directory });
    this.mkdirTargets.add(directory);
  }

  copying(file: string): boolean {
    return this.copyTargets.has(resolve(file));
  }

  making(dir: string): boolean {
    return this.mkdirTargets.has(resolve(dir));
  }

  matches(permission: Permission): string[] {
    const found: string[] = [];
    const candidates = (targets: Iterable<string>) => {
      for (const object of targets) if (matchesPattern(permission, object) && !matchesExcept(permission, object)) found.push(object);
    };
    if (permission.type.includes('file')) candidates(this.copyTargets.keys());
    if (permission.type.includes('directory')) candidates(this.mkdirTargets);
    return found;
  }

  setPermissions(object: string, permission: Permission): void {
    object = resolve(object);
    if (this.permissionTargets.has(object)) throw new Error(`The deployment failed because the permissions setting for (${object}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`);
    this.permissionTargets.add(object);
    if (permission.mode !== undefined) this.instructions.push({ type: 'chmod', mode: permission.mode, file: object });
    if (permission.acls !== undefined) this.instructions.push({ type: 'setfacl', acl: permission.acls, file: object });
    if (permission.context !== undefined) {
      const c = permission.context;
      this.instructions.push({ type: 'semanage', context: { user: c.user ?? null, role: null, type: c.type, range: c.range ?? null }, file: object });
    }
    if (permission.owner !== undefined || permission.group !== undefined) this.instructions.push({ type: 'chown', owner: permission.owner ?? null, group: permission.group ?? null, file: object });
  }
}

/** A name relative to the permission's object, matched with `*` as the only wildcard. */
function relativeName(permission: Permission, name: string): string | undefined {
  let base = resolve(permission.object);
  if (!base.endsWith('/')) base += '/';
  const trimmed = name.replace(/\/+$/, '');
  return trimmed.startsWith(base) ? trimmed.slice(base.length) : undefined;
}

function simpleGlob(name: string, pattern: string): boolean {
  if (name.includes('/')) return false;
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

function matchesPattern(permission: Permission, name: string): boolean {
  const rel = relativeName(permission, name);
  if (rel === undefined) return false;
  return permission.pattern === '**' || simpleGlob(rel, permission.pattern);
}

function matchesExcept(permission: Permission, name: string): boolean {
  const rel = relativeName(permission, name);
  return rel !== undefined && permission.except.some((e) => simpleGlob(rel, e));
}

function plan(appSpec: AppSpec, archiveDir: string, behavior: string): Plan {
  const p = new Plan();
  const normalCopy = (source: string, destination: string) => {
    if (!exists(destination)) return p.copy(source, destination);
    switch (behavior) {
      case 'DISALLOW':
        throw new Error(`The deployment failed because a specified file already exists at this location: ${destination}`);
      case 'OVERWRITE':
        return p.copy(source, destination);
      case 'RETAIN':
        return;
      default:
        throw new Error(`The deployment failed because an invalid option was specified for fileExistsBehavior: ${behavior}. Valid options include OVERWRITE, RETAIN, and DISALLOW.`);
    }
  };
  const fillMissingAncestors = (destination: string) => {
    const missing: string[] = [];
    let parent = dirname(destination);
    while (!exists(parent) && parent !== '.' && parent !== '/') {
      missing.unshift(parent);
      parent = dirname(parent);
    }
    for (const dir of missing) p.mkdir(dir);
  };
  const directoryCopy = (source: string, destination: string) => {
    if (!isDirectory(destination)) p.mkdir(destination);
    for (const entry of readdirSorted(source)) {
      const from = join(source, entry);
      const to = join(destination, entry);
      if (isDirectory(from) && !isSymlink(from)) directoryCopy(from, to);
      else normalCopy(from, to);
    }
  };
  for (const file of appSpec.files) {
    const source = join(archiveDir, file.source);
    if (isDirectory(source) && !isSymlink(source)) {
      fillMissingAncestors(file.destination);
      directoryCopy(source, file.destination);
    } else {
      const destination = join(file.destination, basename(source));
      fillMissingAncestors(destination);
      normalCopy(source, destination);
    }
  }
  for (const permission of appSpec.permissions) {
    const object = permission.object;
    if (p.copying(object)) {
      if (permission.type.includes('file')) {
        if (permission.pattern !== '**') throw new Error(`The deployment failed because the application specification file includes an object (${object}) with an invalid pattern (${permission.pattern}), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.`);
        if (permission.except.length > 0) throw new Error(`The deployment failed because the except parameter for a pattern in the permissions section (${JSON.stringify(permission.except)}) for the object named ${object} contains an invalid format. Update the AppSpec file, and then try again.`);
        p.setPermissions(object, permission);
      }
    } else if (p.making(object) || isDirectory(object)) {
      for (const match of p.matches(permission)) p.setPermissions(match, permission);
    }
  }
  return p;
}

/** Planning is synchronous, like the checks it interleaves with, and sorted to be repeatable. */
const readdirSorted = (dir: string) => readdirSync(dir).sort();

async function sh(command: string, args: string[], failure: string): Promise<void> {
  try {
    await run(command, args);
  } catch (err) {
    const e = err as { code?: number | string };
    throw new Error(`${failure} Failed command: ${[command, ...args].join(' ')}. Exit code: ${e.code ?? 'unknown'}`);
  }
}

async function execute(instruction: Instruction, cleanupFile: string): Promise<void> {
  switch (instruction.type) {
    case 'copy': {
      const { source, destination } = instruction;
      // OVERWRITE planned this copy over an existing file: it is replaced, and ours from now on.
      if (exists(destination) || isSymlink(destination)) await rm(destination, { force: true });
      await appendFile(cleanupFile, `${destination}\n`);
      const stat = await lstat(source);
      if (stat.isSymbolicLink()) {
        await symlink(await readlink(source), destination);
      } else {
        await copyFile(source, destination);
        await chmod(destination, stat.mode & 0o7777);
        await utimes(destination, stat.atime, stat.mtime);
      }
      return;
    }
    case 'mkdir':
      if (exists(instruction.directory)) throw new Error(`The deployment failed because a specified file already exists at this location: ${instruction.directory}.`);
      await mkdir(instruction.directory);
      await appendFile(cleanupFile, `${instruction.directory}\n`);
      return;
    case 'chmod':
      await chmod(instruction.file, Number.parseInt(instruction.mode, 8));
      return;
    case 'setfacl':
      await sh('setfacl', ['--set', instruction.acl.join(','), instruction.file], `The deployment failed because of a problem with the acls permission settings in the application specification file for this object: ${instruction.file}.`);
      return;
    case 'semanage': {
      const c = instruction.context;
      const args = [...(c.user ? ['-s', c.user] : []), '-t', c.type, ...(c.range ? ['-r', c.range] : [])];
      const failure = 'The deployment failed because the application specification file contains an error in the settings for the context parameter. Update the permissions section of the AppSpec file, and then try again.';
      await sh('semanage', ['fcontext', '-a', ...args, instruction.file], failure);
      await sh('restorecon', ['-v', instruction.file], failure);
      await appendFile(cleanupFile, `semanage\0${instruction.file}\n`);
      return;
    }
    case 'chown': {
      const spec = `${instruction.owner ?? ''}${instruction.group ? `:${instruction.group}` : ''}`;
      await sh('chown', [spec, instruction.file], `The deployment failed because the owner or group of ${instruction.file} could not be set to ${spec}.`);
      return;
    }
  }
}

/** Removes what the previous Install recorded, newest first; a missing entry is ignored. */
async function removePrevious(cleanupFile: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(cleanupFile, 'utf8');
  } catch {
    return;
  }
  const lines = text.split('\n');
  // The last element is '' after a final newline; anything else is a half-written path.
  lines.pop();
  for (const line of lines.reverse()) {
    if (line.startsWith('semanage\0')) {
      await run('semanage', ['fcontext', '-d', line.slice('semanage\0'.length).trim()]).catch(() => undefined);
      continue;
    }
    const path = line.trim();
    if (!path) continue;
    if (isSymlink(path)) await unlink(path);
    else if (isDirectory(path)) await rmdir(path).catch(() => undefined);
    else if (exists(path)) await rm(path);
  }
  await rm(cleanupFile, { force: true });
}

export async function install(options: {
  deploymentGroupId: string;
  appSpec: AppSpec;
  archiveDir: string;
  instructionsDir: string;
  fileExistsBehavior: string;
}): Promise<void> {
  await mkdir(options.instructionsDir, { recursive: true });
  const cleanupFile = join(options.instructionsDir, `${options.deploymentGroupId}-cleanup`);
  await removePrevious(cleanupFile);
  const p = plan(options.appSpec, options.archiveDir, options.appSpec.fileExistsBehavior ?? options.fileExistsBehavior);
  await writeFile(join(options.instructionsDir, `${options.deploymentGroupId}-install.json`), JSON.stringify({ instructions: p.instructions }));
  await writeFile(cleanupFile, '');
  for (const instruction of p.instructions) await execute(instruction, cleanupFile);
}
