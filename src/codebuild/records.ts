import type {
  BuildArtifacts,
  BuildPhaseType,
  LogsConfig,
  ProjectArtifacts,
  ProjectCache,
  ProjectEnvironment,
  ProjectSource,
  ProjectSourceVersion,
  StatusType,
  Tag,
} from '@aws-sdk/client-codebuild';

/** A project as stored: the API's Project without the members codesuite derives (arn, dates). */
export interface ProjectRecord {
  accountId: string;
  region: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  buildCounter: number;
  doc: ProjectDoc;
}

export interface ProjectDoc {
  description?: string;
  source: ProjectSource;
  secondarySources?: ProjectSource[];
  sourceVersion?: string;
  secondarySourceVersions?: ProjectSourceVersion[];
  artifacts: ProjectArtifacts;
  secondaryArtifacts?: ProjectArtifacts[];
  cache: ProjectCache;
  environment: ProjectEnvironment;
  serviceRole: string;
  timeoutInMinutes: number;
  queuedTimeoutInMinutes: number;
  encryptionKey?: string;
  tags: Tag[];
  badgeEnabled: boolean;
  logsConfig: LogsConfig;
  concurrentBuildLimit?: number;
  autoRetryLimit?: number;
  vpcConfig?: Record<string, unknown>;
  fileSystemLocations?: Record<string, unknown>[];
  buildBatchConfig?: Record<string, unknown>;
}

export interface PhaseContextRecord {
  statusCode: string;
  message: string;
}

export interface PhaseRecord {
  phaseType: BuildPhaseType;
  phaseStatus?: StatusType;
  startTime: number;
  endTime?: number;
  durationInSeconds?: number;
  contexts?: PhaseContextRecord[];
}

/** Everything a build is: the settings it was started with and where its state machine stands. */
export interface BuildRecord {
  id: string;
  arn: string;
  accountId: string;
  region: string;
  projectName: string;
  buildNumber: number;
  startTime: number;
  endTime?: number;
  currentPhase: BuildPhaseType;
  buildStatus: StatusType;
  buildComplete: boolean;
  sourceVersion?: string;
  resolvedSourceVersion?: string;
  initiator: string;
  phases: PhaseRecord[];
  source: ProjectSource;
  secondarySources: ProjectSource[];
  secondarySourceVersions: ProjectSourceVersion[];
  artifacts: ProjectArtifacts;
  secondaryArtifacts: ProjectArtifacts[];
  artifactResult?: BuildArtifacts;
  secondaryArtifactResults?: BuildArtifacts[];
  cache: ProjectCache;
  environment: ProjectEnvironment;
  serviceRole: string;
  logsConfig: LogsConfig;
  timeoutInMinutes: number;
  queuedTimeoutInMinutes: number;
  encryptionKey?: string;
  exportedEnvironmentVariables?: { name: string; value: string }[];
  reportArns?: string[];
  autoRetryLimit?: number;
  /** Where the build reaches codesuite (AWS_ENDPOINT_URL inside it). */
  endpoint: string;
  /** The executor that runs it and the container or work directory it runs in, once provisioned. */
  executor?: 'docker' | 'local';
  containerId?: string;
  workDir?: string;
  /** StopBuild asked for it; the runner ends the build STOPPED. */
  stopRequested?: boolean;
  /** The caller of StartBuild (whose `iam:PassRole` let the role be used). */
  callerArn: string;
}

export const BUILD_PHASES: BuildPhaseType[] = [
  'SUBMITTED',
  'QUEUED',
  'PROVISIONING',
  'DOWNLOAD_SOURCE',
  'INSTALL',
  'PRE_BUILD',
  'BUILD',
  'POST_BUILD',
  'UPLOAD_ARTIFACTS',
  'FINALIZING',
  'COMPLETED',
];
