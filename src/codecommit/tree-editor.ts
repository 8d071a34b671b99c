import { EMPTY_TREE, kindOf, type GitObjects, type TreeEntry } from './git-objects.js';

/** What sits at a path: a tree, blob or submodule by id and mode. */
export interface Entry {
  mode: string;
  oid: string;
}

interface Folder {
  /** The entries as read from the original tree, loaded on first use. */
  entries?: Map<string, TreeEntry | Folder>;
  oid: string;
  dirty: boolean;
}

const isFolder = (x: TreeEntry | Folder): x is Folder => 'dirty' in x;

/** Why a path cannot be written: a file stands where a folder is needed, the reverse, or a submodule is in the way. */
export type PathConflict =
  | { kind: 'parent-is-file'; path: string }
  | { kind: 'submodule'; path: string }
  | { kind: 'is-folder'; path: string };

export const GITKEEP = '.gitkeep';

/**
 * Changes to a tree, applied in memory and written as new tree objects at the end. Only the
 * folders on changed paths are read and rewritten; every other subtree keeps its id.
 */
export class TreeEditor {
  private readonly root: Folder;
  /** Folders that lost an entry: candidates for removal (or a .gitkeep) when they end up empty. */
  private readonly emptied = new Set<string>();

  constructor(
    private readonly objects: GitObjects,
    rootTree: string = EMPTY_TREE,
  ) {
    this.root = { oid: rootTree, dirty: false };
  }

  /** The entry at a path, as the edits so far leave it. */
  async get(path: string): Promise<Entry | undefined> {
    const { dir, name } = splitLast(path);
    const folder = await this.folder(dir, false);
    if (!folder) return undefined;
    const item = (await this.load(folder)).get(name);
    if (!item) return undefined;
    return isFolder(item) ? { mode: '40000', oid: item.oid } : { mode: item.mode, oid: item.oid };
  }

  /** The first obstacle on the way to writing a file at `path`, if any. */
  async conflictFor(path: string): Promise<PathConflict | undefined> {
    const names = path.split('/');
    let folder = this.root;
    for (let i = 0; i < names.length; i++) {
      const item = (await this.load(folder)).get(names[i]);
      const at = names.slice(0, i + 1).join('/');
      if (!item) return undefined;
      const last = i === names.length - 1;
      if (isFolder(item) || kindOf(item.mode) === 'tree') {
        if (last) return { kind: 'is-folder', path: at };
        folder = isFolder(item) ? item : this.wrap(folder, names[i], item);
        continue;
      }
      if (kindOf(item.mode) === 'gitlink') return { kind: 'submodule', path: at };
      if (last) return undefined;
      return { kind: 'parent-is-file', path: at };
    }
    return undefined;
  }

  /** Puts an entry (a blob, a submodule, or a whole tree) at a path, creating folders on the way. */
  async put(path: string, entry: Entry): Promise<void> {
    const { dir, name } = splitLast(path);
    const folder = (await this.folder(dir, true))!;
    const entries = await this.load(folder);
    const nameBytes = Buffer.from(name, 'utf8');
    entries.set(name, { name, nameBytes, mode: entry.mode, oid: entry.oid });
    this.touch(dir);
  }

  /** Removes whatever is at a path; returns what was there. */
  async remove(path: string): Promise<Entry | undefined> {
    const { dir, name } = splitLast(path);
    const folder = await this.folder(dir, false);
    if (!folder) return undefined;
    const entries = await this.load(folder);
    const item = entries.get(name);
    if (!item) return undefined;
    entries.delete(name);
    this.touch(dir);
    this.emptied.add(dir);
    return isFolder(item) ? { mode: '40000', oid: item.oid } : { mode: item.mode, oid: item.oid };
  }

  /**
   * Writes the changed folders bottom-up and returns the new root tree id. Folders left empty by
   * removals disappear (git cannot record an empty folder) unless `keepEmptyFolders`, which puts
   * an empty `.gitkeep` in each, as CodeCommit does.
   */
  async write(keepEmptyFolders = false): Promise<string> {
    if (keepEmptyFolders) {
      let gitkeep: string | undefined;
      for (const dir of this.emptied) {
        if (dir === '') continue;
        const folder = await this.folder(dir, false);
        if (folder && (await this.load(folder)).size === 0) {
          gitkeep ??= await this.objects.writeBlob(Buffer.alloc(0));
          await this.put(`${dir}/${GITKEEP}`, { mode: '100644', oid: gitkeep });
        }
      }
    }
    return this.writeFolder(this.root);
  }

  private async writeFolder(folder: Folder): Promise<string> {
    if (!folder.dirty) return folder.oid;
    const out: TreeEntry[] = [];
    for (const [name, item] of await this.load(folder)) {
      if (!isFolder(item)) {
        out.push(item);
        continue;
      }
      const oid = await this.writeFolder(item);
      if (oid !== EMPTY_TREE) out.push({ name, nameBytes: Buffer.from(name, 'utf8'), mode: '40000', oid });
    }
    folder.oid = await this.objects.writeTree(out);
    folder.dirty = false;
    return folder.oid;
  }

  private async load(folder: Folder): Promise<Map<string, TreeEntry | Folder>> {
    if (!folder.entries) {
      folder.entries = new Map((await this.objects.tree(folder.oid)).map((e) => [e.name, e]));
    }
    return folder.entries;
  }

  /** Turns a tree entry into an editable folder in place. */
  private wrap(parent: Folder, name: string, entry: TreeEntry): Folder {
    const folder: Folder = { oid: entry.oid, dirty: false };
    parent.entries!.set(name, folder);
    return folder;
  }

  /** The folder at a path; with `create`, makes missing folders and replaces files in the way. */
  private async folder(dir: string, create: boolean): Promise<Folder | undefined> {
    let folder = this.root;
    if (dir === '') return folder;
    for (const name of dir.split('/')) {
      const entries = await this.load(folder);
      const item = entries.get(name);
      if (item && isFolder(item)) {
        folder = item;
      } else if (item && kindOf(item.mode) === 'tree') {
        folder = this.wrap(folder, name, item);
      } else if (create) {
        const fresh: Folder = { oid: EMPTY_TREE, dirty: true, entries: new Map() };
        entries.set(name, fresh);
        folder = fresh;
      } else {
        return undefined;
      }
    }
    return folder;
  }

  /** Marks a folder and all folders above it as needing a rewrite. */
  private touch(dir: string): void {
    let folder = this.root;
    folder.dirty = true;
    if (dir === '') return;
    for (const name of dir.split('/')) {
      folder = folder.entries!.get(name) as Folder;
      folder.dirty = true;
    }
  }
}

function splitLast(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { dir: '', name: path } : { dir: path.slice(0, slash), name: path.slice(slash + 1) };
}
