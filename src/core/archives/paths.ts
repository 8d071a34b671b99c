import { resolve, sep } from 'node:path';

/** An archive that cannot be extracted: corrupt, or an entry that would escape its directory. */
export class ArchiveError extends Error {}

/**
 * Where an entry named `name` lands under `root`; throws the caller's error when the name is
 * absolute or climbs out with `..` (the "zip slip" every extractor here refuses).
 */
export function insideRoot(root: string, name: string, refuse: (name: string) => ArchiveError): string {
  const base = resolve(root);
  const target = resolve(base, name);
  if (name.startsWith('/') || (target !== base && !target.startsWith(base + sep))) throw refuse(name);
  return target;
}

export const isSymlinkMode = (mode: number) => (mode & 0o170000) === 0o120000;
