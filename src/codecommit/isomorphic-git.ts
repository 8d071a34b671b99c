import * as fs from 'node:fs';

type IsomorphicGit = typeof import('isomorphic-git');

let loading: Promise<IsomorphicGit> | undefined;

/**
 * isomorphic-git, loaded on first use rather than at start-up (it is a large module and the
 * server should be ready in a fraction of a second). Returns it with the file system it reads.
 */
export async function isoGit(): Promise<{ git: IsomorphicGit; fs: typeof fs }> {
  loading ??= import('isomorphic-git').then((m) => (m as unknown as { default: IsomorphicGit }).default ?? m);
  return { git: await loading, fs };
}
