import type {
  AlarmConfiguration,
  AutoRollbackConfiguration,
  CreateDeploymentGroupInput,
  Diagnostics,
  MinimumHealthyHosts,
  RevisionLocation,
  Tag,
  TargetInstances,
  TrafficRoutingConfig,
  ZonalConfig,
} from '@aws-sdk/client-codedeploy';

/** Where a resource lives: CodeDeploy resources are per account and region. */
export interface Scope {
  accountId: string;
  region: string;
}

/** Times are epoch milliseconds in records; views turn them into the API's timestamps. */
export interface ApplicationRecord {
  applicationId: string;
  applicationName: string;
  createTime: number;
  computePlatform: string;
  linkedToGitHub: boolean;
}

export interface InstanceRecord {
  instanceName: string;
  iamUserArn?: string;
  iamSessionArn?: string;
  instanceArn: string;
  registerTime: number;
  deregisterTime?: number;
  tags: Tag[];
}

/** The settings of a group as CreateDeploymentGroup and UpdateDeploymentGroup take them. */
export type GroupSettings = Omit<CreateDeploymentGroupInput, 'applicationName' | 'deploymentGroupName' | 'tags'>;

export interface LastDeployment {
  deploymentId: string;
  status: string;
  endTime?: number;
  createTime: number;
}

export interface GroupRecord {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  computePlatform: string;
  settings: GroupSettings;
  /** The revision of the group's last successful deployment. */
  targetRevision?: RevisionLocation;
  lastSuccessfulDeployment?: LastDeployment;
  lastAttemptedDeployment?: LastDeployment;
}

export interface ConfigRecord {
  deploymentConfigId: string;
  deploymentConfigName: string;
  computePlatform: string;
  minimumHealthyHosts?: MinimumHealthyHosts;
  trafficRoutingConfig?: TrafficRoutingConfig;
  zonalConfig?: ZonalConfig;
  createTime: number;
}

export interface RevisionRecord {
  revisionLocation: RevisionLocation;
  description?: string;
  deploymentGroups: string[];
  firstUsedTime?: number;
  lastUsedTime?: number;
  registerTime: number;
}

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
export const FINISHED: readonly string[] = ['Succeeded', 'Failed', 'Stopped'];

export interface RollbackInfo {
  rollbackDeploymentId?: string;
  rollbackTriggeringDeploymentId?: string;
  rollbackMessage?: string;
}

export interface DeploymentRecord {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  deploymentConfigName: string;
  computePlatform: string;
  status: DeploymentStatus;
  errorInformation?: { code: string; message: string };
  createTime: number;
  startTime?: number;
  completeTime?: number;
  creator: string;
  description?: string;
  revision: RevisionLocation;
  previousRevision?: RevisionLocation;
  ignoreApplicationStopFailures: boolean;
  updateOutdatedInstancesOnly: boolean;
  autoRollbackConfiguration?: AutoRollbackConfiguration;
  alarmConfiguration?: AlarmConfiguration;
  rollbackInfo?: RollbackInfo;
  deploymentStyle: { deploymentType: string; deploymentOption: string };
  targetInstances?: TargetInstances;
  fileExistsBehavior: string;
  deploymentStatusMessages: string[];
  /** Minimum healthy hosts, as a number of instances, fixed when the deployment starts. */
  minimumHealthy?: number;
  /** An instance failed because its agent never took a lifecycle event: the failure is the agent's. */
  agentIssue?: boolean;
  /** Set by StopDeployment: whether the stop rolls back. */
  stop?: { autoRollbackEnabled: boolean };
}

export type LifecycleStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';

export interface LifecycleEventRecord {
  lifecycleEventName: string;
  status: LifecycleStatus;
  startTime?: number;
  endTime?: number;
  diagnostics?: Diagnostics;
}

export type TargetStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown' | 'Ready';

export interface TargetRecord {
  deploymentId: string;
  targetId: string;
  position: number;
  hostId: string;
  instanceArn: string;
  status: TargetStatus;
  lastUpdatedAt: number;
  lifecycleEvents: LifecycleEventRecord[];
}

export type CommandStatus = 'Pending' | 'Dispatched' | 'InProgress' | 'Succeeded' | 'Failed';

/** One lifecycle event sent to one host's agent. */
export interface CommandRecord {
  id: string;
  deploymentId: string;
  targetId: string;
  hostId: string;
  name: string;
  status: CommandStatus;
  nonce: number;
  createdAt: number;
  dispatchedAt?: number;
  ackedAt?: number;
}
