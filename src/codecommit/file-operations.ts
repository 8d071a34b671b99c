import type {
  DeleteFileInput,
  DeleteFileOutput,
  GetBlobInput,
  GetBlobOutput,
  GetFileInput,
  GetFileOutput,
  GetFolderInput,
  GetFolderOutput,
  PutFileInput,
  PutFileOutput,
} from '@aws-sdk/client-codecommit';
import { operation, type OperationSpec } from '../core/service.js';
import { authorship, checkParent, checkWritableBranch, commitToBranch } from './branch-commits.js';
import { loadCommit, resolveOptionalCommit } from './commit-specifiers.js';
import { branchReferences, repositoryResource } from './content-iam.js';
import { branchDoesNotExist, inputError } from './errors.js';
import { fileModeOf, gitModeOf, isFileMode } from './file-modes.js';
import { FULL_OID, hashBlob, kindOf } from './git-objects.js';
import { joinPath, normalizeFilePath, normalizeFolderPath } from './paths.js';
import type { Repositories } from './repositories.js';
import { TreeEditor, type PathConflict } from './tree-editor.js';

/** GetFile and GetBlob return at most what a single file may hold in CodeCommit. */
export const MAX_FILE_BYTES = 6 * 1024 * 1024;

/** A required path given as the empty string is missing, not malformed. */
export function requiredPath(path: string | undefined): string {
  if (!path) throw inputError('PathRequiredException');
  return path;
}

export function pathConflictError(conflict: PathConflict) {
  switch (conflict.kind) {
    case 'is-folder':
      return inputError('FileNameConflictsWithDirectoryNameException');
    case 'parent-is-file':
      return inputError('DirectoryNameConflictsWithFileNameException');
    case 'submodule':
      return inputError('FilePathConflictsWithSubmodulePathException');
  }
}

export function fileOperations(repos: Repositories): Record<string, OperationSpec> {
  const read = { resource: repositoryResource };

  return {
    GetFile: operation<GetFileInput, GetFileOutput>({
      iam: { action: 'codecommit:GetFile', ...read },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const path = normalizeFilePath(requiredPath(input.filePath));
        const commitId = await resolveOptionalCommit(repos, repo, input.commitSpecifier);
        const objects = repos.git.objects(repo.id);
        const commit = await loadCommit(objects, commitId);
        const entry = await objects.entryAt(commit.tree, path);
        if (!entry || !isFileMode(entry.mode)) throw inputError('FileDoesNotExistException');
        const content = (await objects.blob(entry.oid))!;
        if (content.length > MAX_FILE_BYTES) throw inputError('FileTooLargeException');
        return {
          commitId,
          blobId: entry.oid,
          filePath: path,
          fileMode: fileModeOf(entry.mode),
          fileSize: content.length,
          fileContent: content,
        };
      },
    }),

    GetFolder: operation<GetFolderInput, GetFolderOutput>({
      iam: { action: 'codecommit:GetFolder', ...read },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        if (input.folderPath === undefined) throw inputError('PathRequiredException');
        const path = normalizeFolderPath(input.folderPath);
        const commitId = await resolveOptionalCommit(repos, repo, input.commitSpecifier);
        const objects = repos.git.objects(repo.id);
        const commit = await loadCommit(objects, commitId);
        const folder = await objects.entryAt(commit.tree, path);
        if (!folder || kindOf(folder.mode) !== 'tree') throw inputError('FolderDoesNotExistException');
        const out: Required<Pick<GetFolderOutput, 'subFolders' | 'files' | 'symbolicLinks' | 'subModules'>> = {
          subFolders: [],
          files: [],
          symbolicLinks: [],
          subModules: [],
        };
        for (const e of await objects.tree(folder.oid)) {
          const where = { absolutePath: joinPath(path, e.name), relativePath: e.name };
          const kind = kindOf(e.mode);
          if (kind === 'tree') out.subFolders.push({ treeId: e.oid, ...where });
          else if (kind === 'gitlink') out.subModules.push({ commitId: e.oid, ...where });
          else if (kind === 'symlink') out.symbolicLinks.push({ blobId: e.oid, ...where, fileMode: 'SYMLINK' });
          else out.files.push({ blobId: e.oid, ...where, fileMode: fileModeOf(e.mode) });
        }
        return { commitId, folderPath: path, treeId: folder.oid, ...out };
      },
    }),

    GetBlob: operation<GetBlobInput, GetBlobOutput>({
      iam: { action: 'codecommit:GetBlob', ...read },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        if (!input.blobId) throw inputError('BlobIdRequiredException');
        if (!FULL_OID.test(input.blobId)) throw inputError('InvalidBlobIdException');
        const content = await repos.git.objects(repo.id).blob(input.blobId);
        if (!content) throw inputError('BlobIdDoesNotExistException');
        if (content.length > MAX_FILE_BYTES) throw inputError('FileTooLargeException');
        return { content };
      },
    }),

    PutFile: operation<PutFileInput, PutFileOutput>({
      iam: { action: 'codecommit:PutFile', resource: repositoryResource, conditionKeys: branchReferences },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const branch = input.branchName!;
        const tip = await checkWritableBranch(repos, repo, branch);
        const path = normalizeFilePath(requiredPath(input.filePath));
        const content = decodeContent(input.fileContent);
        if (content.length === 0) throw inputError('FileContentRequiredException');
        const parent = await checkParent(repos, repo, tip, input.parentCommitId);
        const objects = repos.git.objects(repo.id);
        const editor = new TreeEditor(objects, parent ? (await loadCommit(objects, parent)).tree : undefined);
        const conflict = await editor.conflictFor(path);
        if (conflict) throw pathConflictError(conflict);
        const existing = await editor.get(path);
        const mode = input.fileMode ? gitModeOf(input.fileMode) : existing ? existing.mode : '100644';
        if (existing && existing.oid === hashBlob(content) && existing.mode === mode) throw inputError('SameFileContentException');
        const who = authorship(repos, ctx, { name: input.name, email: input.email, message: input.commitMessage }, `${existing ? 'Edited' : 'Added'} ${path}`);
        const blobId = await objects.writeBlob(content);
        await editor.put(path, { mode, oid: blobId });
        const treeId = await editor.write();
        const commitId = await commitToBranch(repos, repo, ctx, {
          branch,
          expectedTip: parent,
          tree: treeId,
          parents: parent ? [parent] : [],
          authorship: who,
          onRace: () => inputError('ParentCommitIdOutdatedException'),
        });
        return { commitId, blobId, treeId };
      },
    }),

    DeleteFile: operation<DeleteFileInput, DeleteFileOutput>({
      iam: { action: 'codecommit:DeleteFile', resource: repositoryResource, conditionKeys: branchReferences },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const branch = input.branchName!;
        const tip = await checkWritableBranch(repos, repo, branch);
        const path = normalizeFilePath(requiredPath(input.filePath));
        if (!tip) throw branchDoesNotExist();
        const parent = await checkParent(repos, repo, tip, input.parentCommitId);
        const objects = repos.git.objects(repo.id);
        const editor = new TreeEditor(objects, parent ? (await loadCommit(objects, parent)).tree : undefined);
        const existing = await editor.get(path);
        if (!existing || !isFileMode(existing.mode)) throw inputError('FileDoesNotExistException');
        const who = authorship(repos, ctx, { name: input.name, email: input.email, message: input.commitMessage }, `Deleted ${path}`);
        await editor.remove(path);
        const treeId = await editor.write(input.keepEmptyFolders ?? false);
        const commitId = await commitToBranch(repos, repo, ctx, {
          branch,
          expectedTip: parent,
          tree: treeId,
          parents: [parent!],
          authorship: who,
          onRace: () => inputError('ParentCommitIdOutdatedException'),
        });
        return { commitId, blobId: existing.oid, treeId, filePath: path };
      },
    }),
  };
}

/** Blob members arrive base64-encoded in AWS JSON; the SDK may also hand bytes in-process. */
export function decodeContent(value: unknown): Buffer {
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  return Buffer.from(value as Uint8Array);
}
