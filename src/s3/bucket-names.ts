/**
 * General purpose bucket naming rules: 3 to 63 characters of lower-case letters, digits, dots and
 * hyphens, starting and ending with a letter or digit, no two dots together, not shaped like an
 * IP address, and none of the prefixes and suffixes S3 reserves.
 */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..')) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return false;
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return false;
  return !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
}
