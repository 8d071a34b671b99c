import type { BuildRecord } from './records.js';
import type { BuildCredentials } from './platform.js';

export interface SourceDirs {
  primary: string;
  /** By source identifier. */
  secondary: Record<string, string>;
  repoUrls: { primary: string; secondary: Record<string, string> };
  versions: { primary?: string; secondary: Record<string, string | undefined> };
}

/**
 * The variables CodeBuild sets in every build (CodeBuild UG, environment variables in build
 * environments), plus the endpoint and the service role's credentials so that the AWS CLI and
 * SDKs inside the build talk to codesuite as that role.
 */
export function codebuildVariables(b: BuildRecord, dirs: SourceDirs, credentials: BuildCredentials): Record<string, string> {
  const uuid = b.id.slice(b.id.lastIndexOf(':') + 1);
  const cw = b.logsConfig.cloudWatchLogs;
  const vars: Record<string, string> = {
    AWS_DEFAULT_REGION: b.region,
    AWS_REGION: b.region,
    AWS_ENDPOINT_URL: b.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    CODEBUILD_BUILD_ARN: b.arn,
    CODEBUILD_BUILD_ID: b.id,
    CODEBUILD_BUILD_IMAGE: b.environment.image ?? '',
    CODEBUILD_BUILD_NUMBER: String(b.buildNumber),
    CODEBUILD_BUILD_SUCCEEDING: '1',
    CODEBUILD_CI: 'true',
    CODEBUILD_INITIATOR: b.initiator,
    CODEBUILD_KMS_KEY_ID: b.encryptionKey ?? `arn:aws:kms:${b.region}:${b.accountId}:alias/aws/s3`,
    CODEBUILD_LOG_PATH: cw?.streamName ? `${cw.streamName}/${uuid}` : uuid,
    CODEBUILD_PROJECT_ARN: `arn:aws:codebuild:${b.region}:${b.accountId}:project/${b.projectName}`,
    CODEBUILD_SOURCE_REPO_URL: dirs.repoUrls.primary,
    CODEBUILD_SRC_DIR: dirs.primary,
    CODEBUILD_START_TIME: String(b.startTime),
  };
  if (dirs.versions.primary !== undefined) vars.CODEBUILD_SOURCE_VERSION = dirs.versions.primary;
  if (b.resolvedSourceVersion) vars.CODEBUILD_RESOLVED_SOURCE_VERSION = b.resolvedSourceVersion;
  for (const [id, dir] of Object.entries(dirs.secondary)) {
    vars[`CODEBUILD_SRC_DIR_${id}`] = dir;
    vars[`CODEBUILD_SOURCE_REPO_URL_${id}`] = dirs.repoUrls.secondary[id] ?? '';
    const version = dirs.versions.secondary[id];
    if (version !== undefined) vars[`CODEBUILD_SOURCE_VERSION_${id}`] = version;
  }
  return vars;
}
