import type {
  BatchGetCommitsError,
  BatchGetCommitsInput,
  BatchGetCommitsOutput,
  Commit,
  CreateCommitInput,
  CreateCommitOutput,
  FileMetadata,
  GetCommitInput,
  GetCommitOutput,
} from '@aws-sdk/client-codecommit';
import { operation, type OperationSpec } from '../core/service.js';
import { authorship, checkParent, checkWritableBranch, commitToBranch } from './branch-commits.js';
import { commitView, loadCommit } from './commit-specifiers.js';
import { branchReferences, repositoryResource } from './content-iam.js';
import { inputError } from './errors.js';
import { decodeContent, MAX_FILE_BYTES, pathConflictError, requiredPath } from './file-operations.js';
import { fileModeOf, gitModeOf, isFileMode } from './file-modes.js';
import { EMPTY_TREE, FULL_OID, hashBlob, type GitObjects } from './git-objects.js';
import { normalizeFilePath, splitPath } from './paths.js';
import type { Repositories } from './repositories.js';
import { GITKEEP, TreeEditor } from './tree-editor.js';

const MAX_BATCH_COMMITS = 100;
/** CodeCommit's quota on the file changes one CreateCommit may carry. */
const MAX_FILE_ENTRIES = 100;
/** All file content of one commit together: 7 MB. */
const MAX_COMMIT_CONTENT_BYTES = 7 * 1024 * 1024;

export function commitOperations(repos: Repositories): Record<string, OperationSpec> {
  return {
    GetCommit: operation<GetCommitInput, GetCommitOutput>({
      iam: { action: 'codecommit:GetCommit', resource: repositoryResource },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        if (!input.commitId) throw inputError('CommitIdRequiredException');
        const id = input.commitId.toLowerCase();
        if (!FULL_OID.test(id)) throw inputError('InvalidCommitIdException');
        const commit = await repos.git.objects(repo.id).commit(id);
        if (!commit) throw inputError('CommitIdDoesNotExistException');
        return { commit: commitView(commit) };
      },
    }),

    BatchGetCommits: operation<BatchGetCommitsInput, BatchGetCommitsOutput>({
      iam: { action: 'codecommit:BatchGetCommits', resource: repositoryResource },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const ids = input.commitIds ?? [];
        if (ids.length === 0) throw inputError('CommitIdsListRequiredException');
        if (ids.length > MAX_BATCH_COMMITS) throw inputError('CommitIdsLimitExceededException');
        const objects = repos.git.objects(repo.id);
        const commits: Commit[] = [];
        const errors: BatchGetCommitsError[] = [];
        for (const id of ids) {
          const commit = FULL_OID.test(id.toLowerCase()) ? await objects.commit(id.toLowerCase()) : undefined;
          if (commit) commits.push(commitView(commit));
          else {
            const errorCode = FULL_OID.test(id.toLowerCase()) ? 'CommitIdDoesNotExistException' : 'InvalidCommitIdException';
            errors.push({ commitId: id, errorCode, errorMessage: inputError(errorCode).message });
          }
        }
        return { commits, errors };
      },
    }),

    CreateCommit: operation<CreateCommitInput, CreateCommitOutput>({
      iam: { action: 'codecommit:CreateCommit', resource: repositoryResource, conditionKeys: branchReferences },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const branch = input.branchName!;
        const tip = await checkWritableBranch(repos, repo, branch);
        const plan = planChanges(input);
        const parent = await checkParent(repos, repo, tip, input.parentCommitId);
        const who = authorship(repos, ctx, { name: input.authorName, email: input.email, message: input.commitMessage }, 'Changes committed through the CodeCommit API');
        const objects = repos.git.objects(repo.id);
        const parentTree = parent ? (await loadCommit(objects, parent)).tree : undefined;
        const { editor, result, blobs } = await applyChanges(objects, parentTree, plan);
        for (const blob of blobs) await objects.writeBlob(blob);
        const treeId = await editor.write(input.keepEmptyFolders ?? false);
        if (treeId === (parentTree ?? EMPTY_TREE)) throw inputError('NoChangeException');
        const commitId = await commitToBranch(repos, repo, ctx, {
          branch,
          expectedTip: parent,
          tree: treeId,
          parents: parent ? [parent] : [],
          authorship: who,
          onRace: () => inputError('ParentCommitIdOutdatedException'),
        });
        return { commitId, treeId, ...result };
      },
    }),
  };
}

interface Put {
  path: string;
  mode?: string;
  content?: Buffer;
  source?: { path: string; isMove: boolean };
}

interface Plan {
  puts: Put[];
  deletes: string[];
  modes: { path: string; mode: string }[];
}

/** Everything about a CreateCommit request that can be judged without reading the repository. */
function planChanges(input: CreateCommitInput): Plan {
  const putFiles = input.putFiles ?? [];
  const deleteFiles = input.deleteFiles ?? [];
  const setFileModes = input.setFileModes ?? [];
  const count = putFiles.length + deleteFiles.length + setFileModes.length;
  if (count === 0) throw inputError('FileEntryRequiredException');
  if (count > MAX_FILE_ENTRIES) throw inputError('MaximumFileEntriesExceededException');

  let contentBytes = 0;
  const puts: Put[] = putFiles.map((p) => {
    const path = normalizeFilePath(requiredPath(p.filePath));
    const hasContent = p.fileContent !== undefined && p.fileContent !== null;
    if (hasContent && p.sourceFile) throw inputError('FileContentAndSourceFileSpecifiedException');
    if (!hasContent && !p.sourceFile) throw inputError('SourceFileOrContentRequiredException');
    const put: Put = { path, mode: p.fileMode ? gitModeOf(p.fileMode) : undefined };
    if (hasContent) {
      put.content = decodeContent(p.fileContent);
      if (put.content.length > MAX_FILE_BYTES) throw inputError('FileContentSizeLimitExceededException');
      contentBytes += put.content.length;
    } else {
      const source = normalizeFilePath(requiredPath(p.sourceFile!.filePath));
      if (splitPath(source).name === GITKEEP) throw inputError('RestrictedSourceFileException');
      put.source = { path: source, isMove: p.sourceFile!.isMove ?? false };
    }
    return put;
  });
  if (contentBytes > MAX_COMMIT_CONTENT_BYTES) throw inputError('FileContentSizeLimitExceededException');
  const deletes = deleteFiles.map((d) => normalizeFilePath(requiredPath(d.filePath)));
  const modes = setFileModes.map((m) => {
    if (!m.fileMode) throw inputError('FileModeRequiredException');
    return { path: normalizeFilePath(requiredPath(m.filePath)), mode: gitModeOf(m.fileMode) };
  });

  // A path may be the subject of one change only; a moved file's old path counts as changed.
  const touched = [...puts.map((p) => p.path), ...puts.filter((p) => p.source?.isMove).map((p) => p.source!.path), ...deletes, ...modes.map((m) => m.path)];
  if (new Set(touched).size !== touched.length) throw inputError('SamePathRequestException');
  const putPaths = new Set(puts.map((p) => p.path));
  for (const p of putPaths) {
    for (let slash = p.indexOf('/'); slash >= 0; slash = p.indexOf('/', slash + 1)) {
      if (putPaths.has(p.slice(0, slash))) throw inputError('PutFileEntryConflictException');
    }
  }
  return { puts, deletes, modes };
}

/**
 * Applies a plan to the parent's tree in memory. Sources of copies and moves are read from the
 * parent commit, so the order of the entries in the request does not matter. Returns the blobs
 * still to be written; nothing is written until every entry has been judged.
 */
async function applyChanges(objects: GitObjects, parentTree: string | undefined, plan: Plan) {
  const editor = new TreeEditor(objects, parentTree);
  const filesAdded: FileMetadata[] = [];
  const filesUpdated: FileMetadata[] = [];
  const filesDeleted: FileMetadata[] = [];
  const blobs: Buffer[] = [];
  const original = async (path: string) => (parentTree ? objects.entryAt(parentTree, path) : undefined);
  const meta = (path: string, e: { mode: string; oid: string }): FileMetadata => ({ absolutePath: path, blobId: e.oid, fileMode: fileModeOf(e.mode) });

  for (const path of plan.deletes) {
    const existing = await original(path);
    if (!existing || !isFileMode(existing.mode)) throw inputError('FileDoesNotExistException');
    await editor.remove(path);
    filesDeleted.push(meta(path, existing));
  }
  for (const put of plan.puts) {
    let blob: { mode: string; oid: string };
    if (put.source) {
      const source = await original(put.source.path);
      if (!source || !isFileMode(source.mode)) throw inputError('FileDoesNotExistException');
      blob = { mode: put.mode ?? source.mode, oid: source.oid };
      if (put.source.isMove) {
        await editor.remove(put.source.path);
        filesDeleted.push(meta(put.source.path, source));
      }
    } else {
      blob = { mode: put.mode ?? '', oid: hashBlob(put.content!) };
      blobs.push(put.content!);
    }
    const conflict = await editor.conflictFor(put.path);
    if (conflict) throw pathConflictError(conflict);
    const existing = await editor.get(put.path);
    if (!blob.mode) blob.mode = existing && isFileMode(existing.mode) ? existing.mode : '100644';
    await editor.put(put.path, blob);
    (existing ? filesUpdated : filesAdded).push(meta(put.path, blob));
  }
  for (const change of plan.modes) {
    const existing = await editor.get(change.path);
    if (!existing || !isFileMode(existing.mode)) throw inputError('FileDoesNotExistException');
    if (existing.mode === change.mode) continue;
    await editor.put(change.path, { mode: change.mode, oid: existing.oid });
    filesUpdated.push(meta(change.path, { mode: change.mode, oid: existing.oid }));
  }
  return { editor, blobs, result: { filesAdded, filesUpdated, filesDeleted } };
}
