import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';

export const ACCOUNT = '000000000000';

export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
/** Keys IAM never issued: the caller is the account root. */
export const rootKeys: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };

export function stsServer(options: StartOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, inMemory: true, logLevel: 'silent', ...options });
}

/** One attempt per call, so a refused call fails at once instead of being retried. */
export function sts(server: RunningServer, credentials: AwsCredentialIdentity = rootKeys): STSClient {
  return new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function iam(server: RunningServer, credentials: AwsCredentialIdentity = rootKeys): IAMClient {
  return new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** A new IAM user with an access key, made by the root; optionally with an inline policy. */
export async function userWithKeys(server: RunningServer, name: string, path = '/', policy?: object): Promise<AwsCredentialIdentity & { arn: string; userId: string }> {
  const admin = iam(server);
  const { User } = await admin.send(new CreateUserCommand({ UserName: name, Path: path }));
  if (policy) await admin.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey!, arn: User!.Arn!, userId: User!.UserId! };
}

export const trustPolicy = (principal: object, extra: object = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }] });

export async function createRole(server: RunningServer, name: string, trust: string, options: { path?: string; maxSessionDuration?: number } = {}) {
  const { Role } = await iam(server).send(
    new CreateRoleCommand({ RoleName: name, Path: options.path, AssumeRolePolicyDocument: trust, MaxSessionDuration: options.maxSessionDuration }),
  );
  return { arn: Role!.Arn!, id: Role!.RoleId! };
}

/**
 * The AWS error a call failed with: its name as the SDK gives it (a modeled error's shape name,
 * such as MalformedPolicyDocumentException), the code on the wire when it differs, the message and
 * the HTTP status. Fails the test when the call succeeded.
 */
export async function awsError(call: Promise<unknown>): Promise<{ name: string; code?: string; message: string; status?: number }> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, ...(e.Code && e.Code !== e.name ? { code: e.Code } : {}), message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Credentials an STS answer handed out, ready for a client. */
export function temporary(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): AwsCredentialIdentity {
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}
