import type { FileModeTypeEnum } from '@aws-sdk/client-codecommit';
import { kindOf } from './git-objects.js';

/** The API's names for blob modes; folders and submodules have none. */
export function fileModeOf(mode: string): FileModeTypeEnum | undefined {
  switch (kindOf(mode)) {
    case 'file':
      return 'NORMAL';
    case 'executable':
      return 'EXECUTABLE';
    case 'symlink':
      return 'SYMLINK';
    default:
      return undefined;
  }
}

export function gitModeOf(mode: FileModeTypeEnum | string): string {
  return mode === 'EXECUTABLE' ? '100755' : mode === 'SYMLINK' ? '120000' : '100644';
}

/** A tree entry the API treats as a file: a regular file, an executable or a symbolic link. */
export function isFileMode(mode: string): boolean {
  return fileModeOf(mode) !== undefined;
}
