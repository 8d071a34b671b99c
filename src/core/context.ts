/** Who is calling, where, and which request this is: built by the front before any handler runs. */
export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  /** Access key id from the SigV4 credential scope; authentication proper comes with IAM enforcement. */
  accessKeyId?: string;
  /** ARN of the calling principal (the account root until IAM enforcement resolves keys). */
  principalArn: string;
  /** Base URL clients reach this server at, for URLs that handlers hand out (clone URLs...). */
  endpoint: string;
  sourceIp: string;
}
