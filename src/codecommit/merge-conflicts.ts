import type {
  ConflictDetailLevelTypeEnum,
  ConflictMetadata,
  ConflictResolution,
  ConflictResolutionStrategyTypeEnum,
  MergeHunk,
  MergeHunkDetail,
  ObjectTypeEnum,
} from '@aws-sdk/client-codecommit';
import { inputError } from './errors.js';
import { fileModeOf, gitModeOf } from './file-modes.js';
import { decodeContent } from './file-operations.js';
import { hashBlob, kindOf } from './git-objects.js';
import { isBinary, mergedText, type Range } from './line-merge.js';
import { changeType, type Entry, type PathMerge, type TreeMerge } from './merge-engine.js';
import { normalizeFilePath } from './paths.js';

export type DetailLevel = ConflictDetailLevelTypeEnum;
export type Strategy = ConflictResolutionStrategyTypeEnum;

/** How the caller asked conflicts to be judged and settled. */
export interface MergePolicy {
  level: DetailLevel;
  strategy: Strategy;
}

export function policyOf(input: { conflictDetailLevel?: string; conflictResolutionStrategy?: string }): MergePolicy {
  // CodeCommit's defaults: a file changed on both sides is a conflict, and nothing settles it.
  return { level: (input.conflictDetailLevel as DetailLevel) ?? 'FILE_LEVEL', strategy: (input.conflictResolutionStrategy as Strategy) ?? 'NONE' };
}

const MAX_RESOLUTION_ENTRIES = 1000;

/** A conflict that remains when only a line merge is allowed to settle things. */
function lineLevelConflict(p: PathMerge): boolean {
  return p.objectTypeConflict || p.deleteConflict || p.fileModeConflict || p.unmergeableContent || (p.lines?.conflicts ?? 0) > 0;
}

/**
 * Whether a path both sides changed is a conflict at the chosen detail level. At FILE_LEVEL
 * (CodeCommit's default) any such path is; at LINE_LEVEL only overlapping changes are.
 */
export function isConflict(p: PathMerge, level: DetailLevel): boolean {
  return level === 'FILE_LEVEL' || lineLevelConflict(p);
}

/** The conflicts a strategy leaves for the caller: AUTOMERGE settles what a line merge can, ACCEPT_* settle all. */
export function unresolved(merge: TreeMerge, policy: MergePolicy): PathMerge[] {
  switch (policy.strategy) {
    case 'ACCEPT_SOURCE':
    case 'ACCEPT_DESTINATION':
      return [];
    case 'AUTOMERGE':
      return merge.both.filter(lineLevelConflict);
    default:
      return merge.both.filter((p) => isConflict(p, policy.level));
  }
}

/** A resolved path: the entry it ends up with (undefined: deleted) and any new content to store. */
export interface Outcome {
  entry: Entry | undefined;
  content?: Buffer;
}

/** The result of a path the line merge settles cleanly, or that a strategy settles. */
function merged(p: PathMerge, prefer?: 'source' | 'destination'): Outcome {
  const s = p.source!;
  const d = p.destination!;
  const mode = p.fileModeConflict ? p[prefer!]!.mode : p.mode!;
  if (s.oid === d.oid || s.oid === p.base?.oid) return { entry: { mode, oid: d.oid } };
  if (d.oid === p.base?.oid) return { entry: { mode, oid: s.oid } };
  if (!p.lines) return { entry: { mode, oid: p[prefer!]!.oid } };
  const content = mergedText(p.lines, prefer)!;
  return { entry: { mode, oid: hashBlob(content) }, content };
}

function bySide(p: PathMerge, side: 'source' | 'destination', level: DetailLevel): Outcome {
  if (level === 'FILE_LEVEL' || p.objectTypeConflict || p.deleteConflict || p.unmergeableContent) return { entry: p[side] };
  return merged(p, side);
}

/**
 * Decides every path both sides changed: explicit resolutions first, then the detail level and
 * strategy. Throws ManualMergeRequiredException if any conflict is left undecided.
 */
export function settle(merge: TreeMerge, policy: MergePolicy, resolution: ConflictResolution | undefined): Map<string, Outcome> {
  const explicit = parseResolution(merge, resolution);
  const outcomes = new Map<string, Outcome>();
  for (const p of merge.both) {
    let outcome = explicit.replace.get(p.path);
    const mode = explicit.modes.get(p.path);
    if (!outcome) {
      if (!isConflict(p, policy.level)) outcome = merged(p);
      else if (policy.strategy === 'ACCEPT_SOURCE') outcome = bySide(p, 'source', policy.level);
      else if (policy.strategy === 'ACCEPT_DESTINATION') outcome = bySide(p, 'destination', policy.level);
      else if (policy.strategy === 'AUTOMERGE' && !lineLevelConflict(p)) outcome = merged(p);
      else if (mode && onlyModeConflicts(p, policy.level)) {
        // A conflict on the executable bit alone is settled by saying which mode the file gets.
        outcome = merged({ ...p, fileModeConflict: false, mode });
      }
    }
    if (!outcome) throw inputError('ManualMergeRequiredException');
    if (mode && outcome.entry) outcome = { ...outcome, entry: { ...outcome.entry, mode } };
    outcomes.set(p.path, outcome);
  }
  return outcomes;
}

/** Whether all that conflicts about a path is its mode, the content merging at the given level. */
function onlyModeConflicts(p: PathMerge, level: DetailLevel): boolean {
  if (p.objectTypeConflict || p.deleteConflict || p.unmergeableContent || (p.lines?.conflicts ?? 0) > 0) return false;
  const [b, s, d] = [p.base?.oid, p.source!.oid, p.destination!.oid];
  return level === 'LINE_LEVEL' || s === d || s === b || d === b;
}

function parseResolution(merge: TreeMerge, resolution: ConflictResolution | undefined) {
  const replace = new Map<string, Outcome>();
  const modes = new Map<string, string>();
  const replaceContents = resolution?.replaceContents ?? [];
  const deleteFiles = resolution?.deleteFiles ?? [];
  const setFileModes = resolution?.setFileModes ?? [];
  if (replaceContents.length + deleteFiles.length + setFileModes.length > MAX_RESOLUTION_ENTRIES) {
    throw inputError('MaximumConflictResolutionEntriesExceededException');
  }
  const paths = new Map(merge.both.map((p) => [p.path, p]));
  const target = (filePath: string | undefined) => {
    if (!filePath) throw inputError('PathRequiredException');
    const path = normalizeFilePath(filePath);
    const p = paths.get(path);
    if (!p) throw inputError('InvalidConflictResolutionException');
    return p;
  };
  for (const r of replaceContents) {
    const p = target(r.filePath);
    if (replace.has(p.path)) throw inputError('MultipleConflictResolutionEntriesException');
    const hasContent = r.content !== undefined && r.content !== null;
    let outcome: Outcome;
    if (r.replacementType === 'USE_NEW_CONTENT') {
      if (!hasContent) throw inputError('ReplacementContentRequiredException');
      const content = decodeContent(r.content);
      const mode = r.fileMode ? gitModeOf(r.fileMode) : (p.mode ?? (p.source && fileModeOf(p.source.mode) ? p.source.mode : '100644'));
      outcome = { entry: { mode, oid: hashBlob(content) }, content };
    } else {
      if (hasContent) throw inputError('InvalidReplacementContentException');
      const version = r.replacementType === 'KEEP_BASE' ? p.base : r.replacementType === 'KEEP_SOURCE' ? p.source : p.destination;
      outcome = { entry: version && r.fileMode ? { ...version, mode: gitModeOf(r.fileMode) } : version };
    }
    replace.set(p.path, outcome);
  }
  for (const r of deleteFiles) {
    const p = target(r.filePath);
    if (replace.has(p.path)) throw inputError('MultipleConflictResolutionEntriesException');
    replace.set(p.path, { entry: undefined });
  }
  for (const r of setFileModes) {
    const p = target(r.filePath);
    if (!r.fileMode) throw inputError('FileModeRequiredException');
    if (modes.has(p.path)) throw inputError('MultipleConflictResolutionEntriesException');
    modes.set(p.path, gitModeOf(r.fileMode));
  }
  return { replace, modes };
}

const objectType = (e?: Entry): ObjectTypeEnum | undefined =>
  e && ({ tree: 'DIRECTORY', file: 'FILE', executable: 'FILE', symlink: 'SYMBOLIC_LINK', gitlink: 'GIT_LINK' } as const)[kindOf(e.mode)];

/** A path as the conflict APIs describe it. */
export function describe(p: PathMerge, level: DetailLevel, conflicting: boolean): ConflictMetadata {
  const sides = ['source', 'destination', 'base'] as const;
  const pick = <T>(f: (side: (typeof sides)[number]) => T | undefined) => {
    const out: Partial<Record<(typeof sides)[number], T>> = {};
    for (const side of sides) {
      const v = f(side);
      if (v !== undefined) out[side] = v;
    }
    return out;
  };
  const contentConflict =
    conflicting &&
    (p.deleteConflict ||
      p.unmergeableContent ||
      (level === 'FILE_LEVEL' ? !p.objectTypeConflict && !(p.fileModeConflict && p.source?.oid === p.destination?.oid) : (p.lines?.conflicts ?? 0) > 0));
  const fileModeConflict = conflicting && p.fileModeConflict;
  const objectTypeConflict = conflicting && p.objectTypeConflict;
  const contentCount = contentConflict ? (level === 'LINE_LEVEL' && p.lines ? p.lines.conflicts : 1) : 0;
  return {
    filePath: p.path,
    fileSizes: pick((side) => p.contents[side]?.length),
    fileModes: pick((side) => (p[side] ? fileModeOf(p[side]!.mode) : undefined)),
    objectTypes: pick((side) => objectType(p[side])),
    numberOfConflicts: contentCount + (fileModeConflict ? 1 : 0) + (objectTypeConflict ? 1 : 0),
    isBinaryFile: pick((side) => (p.contents[side] ? isBinary(p.contents[side]!) : undefined)),
    contentConflict,
    fileModeConflict,
    objectTypeConflict,
    mergeOperations: { source: changeType(p.base, p.source), destination: changeType(p.base, p.destination) },
  };
}

/**
 * The merge hunks of a path: at LINE_LEVEL every region either side changed, each marked
 * conflicting or not; at FILE_LEVEL, or when no line merge is possible, the whole file as one
 * conflicting hunk. Line numbers count from 0, the end line is exclusive.
 */
export function hunks(p: PathMerge, level: DetailLevel, conflicting: boolean): MergeHunk[] {
  if (level === 'LINE_LEVEL' && p.lines) {
    const lines = p.lines;
    return lines.regions.map((r) => ({
      isConflict: r.conflict,
      source: detail(lines.source, r.source),
      destination: detail(lines.destination, r.destination),
      ...(p.contents.base ? { base: detail(lines.base, r.base) } : {}),
    }));
  }
  const texts = (['source', 'destination', 'base'] as const).filter((side) => p.contents[side] && !isBinary(p.contents[side]!));
  const sameContent = p.source && p.destination && p.source.oid === p.destination.oid;
  if (!conflicting || texts.length === 0 || sameContent) return [];
  const whole: MergeHunk = { isConflict: true };
  for (const side of texts) {
    const all = p.contents[side]!.toString('latin1').split(/(?<=\n)/).filter((l) => l !== '');
    whole[side] = detail(all, [0, all.length]);
  }
  return [whole];
}

function detail(lines: string[], [start, end]: Range): MergeHunkDetail {
  return { startLine: start, endLine: end, hunkContent: Buffer.from(lines.slice(start, end).join(''), 'latin1').toString('base64') };
}
