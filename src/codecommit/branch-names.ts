/**
 * CodeCommit's branch name rules (User Guide, Quotas): 1-256 characters; not 40 hexadecimal
 * characters (it would read as a commit id); no leading or trailing `/` or `.`; not `@`; no `..`,
 * `//`, `@{`, spaces, control characters or any of `? ^ * [ \ ~ :`; and git's own ref rules.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length < 1 || name.length > 256) return false;
  if (/^[0-9a-fA-F]{40}$/.test(name)) return false;
  if (/^[/.]|[/.]$/.test(name) || name === '@') return false;
  if (name.includes('..') || name.includes('//') || name.includes('@{')) return false;
  if (/[\s\x00-\x1f\x7f?^*[\\~:]/.test(name)) return false;
  return !name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'));
}

/**
 * Whether a branch by this name could be stored at all: git keeps a branch as a file named by
 * each of its `/` parts, which the file system limits to 255 bytes. A name that fails this names
 * no branch, and is answered so without asking the file system.
 */
export function couldExist(name: string): boolean {
  return isValidBranchName(name) && name.split('/').every((part) => Buffer.byteLength(part) <= 255);
}
