/** A policy document IAM would refuse; `message` is the text AWS sends with MalformedPolicyDocument. */
export class PolicyParseError extends Error {
  readonly code = 'MalformedPolicyDocument';

  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

/** The fixed texts IAM answers with, in one place so callers and tests can name them. */
export const POLICY_ERRORS = {
  syntax: 'Syntax errors in policy.',
  invalidJson: 'This policy contains invalid Json',
  version: 'Policy document must be version 2012-10-17 or greater.',
  legacyParsing: 'The policy failed legacy parsing',
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  sidFormat: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  principalNotAllowed: 'Policy document should not specify a principal.',
  missingPrincipal: 'Missing required field Principal',
  trustWithoutPrincipal:
    'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  trustStarPrincipal: 'AssumeRolepolicy contained an invalid principal: "STAR":"*"',
  trustNotPrincipal: 'Has prohibited field NotPrincipal.',
  trustResource: 'Has prohibited field Resource.',
  trustActions: 'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
  actionVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionColons: 'Actions/Condition can contain only one colon.',
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
} as const;
