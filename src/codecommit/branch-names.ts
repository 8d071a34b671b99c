/** NAME_MAX (255) less the `.lock` git appends while it writes the ref. */
const MAX_REF_PART_BYTES = 250;

/**
 * CodeCommit's branch name rules (User Guide, Quotas): 1-256 characters; not 40 hexadecimal
 * characters (it would read as a commit id); no leading or trailing `/` or `.`; not `@`; no `..`,
 * `//`, `@{`, spaces, control characters or any of `? ^ * [ \ ~ :`; and git's own ref rules,
 * including that each `/`-separated part fits a file name with git's `.lock` suffix (250 bytes):
 * git cannot create a longer one, so it is refused as invalid rather than failing the write.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length < 1 || name.length > 256) return false;
  if (/^[0-9a-fA-F]{40}$/.test(name)) return false;
  if (/^[/.]|[/.]$/.test(name) || name === '@') return false;
  if (name.includes('..') || name.includes('//') || name.includes('@{')) return false;
  if (/[\s\x00-\x1f\x7f?^*[\\~:]/.test(name)) return false;
  return !name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock') || Buffer.byteLength(part) > MAX_REF_PART_BYTES);
}
