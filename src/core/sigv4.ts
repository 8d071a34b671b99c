/**
 * What a SigV4-signed request says about its caller: access key, date, region and service of the
 * credential scope, from the Authorization header or a presigned query string. Verifying the
 * signature is IAM enforcement's job; routing and namespacing only need the scope.
 */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const HEADER_SCOPE = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

export function parseCredentialScope(
  headers: Record<string, string | string[] | undefined>,
  query: URLSearchParams,
): CredentialScope | undefined {
  const auth = headers['authorization'];
  const header = Array.isArray(auth) ? auth[0] : auth;
  if (header) {
    const m = HEADER_SCOPE.exec(header);
    if (m) return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] };
  }
  const credential = query.get('X-Amz-Credential');
  if (credential) {
    const parts = credential.split('/');
    if (parts.length === 5 && parts[4] === 'aws4_request') {
      return { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] };
    }
  }
  return undefined;
}
