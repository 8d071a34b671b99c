import { invalidArgument } from './errors.js';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=id]`, the key URL-encoded. */
export function parseCopySource(raw: string): CopySource {
  const invalid = () => invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', raw);
  const q = raw.indexOf('?');
  let path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? undefined : new URLSearchParams(raw.slice(q + 1));
  try {
    path = decodeURIComponent(path);
  } catch {
    throw invalid();
  }
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw invalid();
  const versionId = query?.get('versionId') ?? undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), versionId };
}
