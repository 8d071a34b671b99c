/**
 * The AWS-owned action types codesuite knows, with what the structure check needs of each: the
 * artifact counts and the configuration keys AWS declares (required ones first). Data, not code:
 * ListActionTypes answers from it too.
 */
export interface ActionTypeSpec {
  category: string;
  owner: string;
  provider: string;
  version: string;
  inputs: [number, number];
  outputs: [number, number];
  required: string[];
  optional: string[];
  /** Keys whose values AWS hides. */
  secret?: string[];
}

const spec = (category: string, provider: string, inputs: [number, number], outputs: [number, number], required: string[], optional: string[] = []): ActionTypeSpec => ({
  category,
  owner: 'AWS',
  provider,
  version: '1',
  inputs,
  outputs,
  required,
  optional,
});

export const AWS_ACTION_TYPES: ActionTypeSpec[] = [
  spec('Source', 'CodeCommit', [0, 0], [1, 1], ['RepositoryName', 'BranchName'], ['PollForSourceChanges', 'OutputArtifactFormat']),
  spec('Source', 'S3', [0, 0], [1, 1], ['S3Bucket', 'S3ObjectKey'], ['PollForSourceChanges', 'AllowOverrideForS3ObjectKey']),
  spec('Source', 'ECR', [0, 0], [1, 1], ['RepositoryName'], ['ImageTag']),
  spec('Source', 'CodeStarSourceConnection', [0, 0], [1, 1], ['ConnectionArn', 'FullRepositoryId', 'BranchName'], ['OutputArtifactFormat', 'DetectChanges']),
  spec('Build', 'CodeBuild', [1, 5], [0, 5], ['ProjectName'], ['PrimarySource', 'EnvironmentVariables', 'BatchEnabled', 'CombineArtifacts']),
  spec('Test', 'CodeBuild', [1, 5], [0, 5], ['ProjectName'], ['PrimarySource', 'EnvironmentVariables', 'BatchEnabled', 'CombineArtifacts']),
  spec('Deploy', 'CodeDeploy', [1, 1], [0, 0], ['ApplicationName', 'DeploymentGroupName']),
  spec('Deploy', 'S3', [1, 1], [0, 0], ['BucketName', 'Extract'], ['ObjectKey', 'KMSEncryptionKeyARN', 'CannedACL', 'CacheControl']),
  spec('Deploy', 'CloudFormation', [0, 10], [0, 1], ['ActionMode'], [
    'StackName',
    'Capabilities',
    'ChangeSetName',
    'OutputFileName',
    'ParameterOverrides',
    'RoleArn',
    'TemplatePath',
    'TemplateConfiguration',
  ]),
  spec('Approval', 'Manual', [0, 0], [0, 0], [], ['NotificationArn', 'CustomData', 'ExternalEntityLink']),
  spec('Invoke', 'Lambda', [0, 5], [0, 5], ['FunctionName'], ['UserParameters']),
  spec('Compute', 'Commands', [1, 10], [0, 1], [], ['ComputeType', 'Image']),
];

export function awsActionType(t: { category?: string; owner?: string; provider?: string; version?: string }): ActionTypeSpec | undefined {
  return AWS_ACTION_TYPES.find((s) => s.category === t.category && s.owner === t.owner && s.provider === t.provider && s.version === t.version);
}
