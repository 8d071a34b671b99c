import { describe, it, expect } from 'vitest';
import { accessDeniedMessage, accessDeniedReason, evaluate, type EvaluationRequest, type PolicyInput, type Principal } from '../../src/iam/policy/index.js';
import { ACCOUNT, alice, allowAll, builderRole, builderSession, decide, federatedBob, OTHER_ACCOUNT, policy, REPO, roleArn, root } from './helpers.js';

const allow = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}) =>
  policy({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const deny = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}) =>
  policy({ Effect: 'Deny', Action: action, Resource: resource, ...extra });
const named = (id: string, document: object): PolicyInput => ({ id, document: JSON.stringify(document) });

function request(overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return { action: 'codecommit:GitPull', resource: REPO, principal: alice, identityPolicies: [], ...overrides };
}

describe('the seed lab: branch protection on main and prod', () => {
  const protect = named(
    `arn:aws:iam::${ACCOUNT}:policy/ProtectBranches`,
    policy({
      Effect: 'Deny',
      Action: ['codecommit:GitPush', 'codecommit:DeleteBranch', 'codecommit:PutFile', 'codecommit:Merge*'],
      Resource: 'arn:aws:codecommit:*:*:*',
      Condition: {
        StringEqualsIfExists: { 'codecommit:References': ['refs/heads/main', 'refs/heads/prod'] },
        Null: { 'codecommit:References': 'false' },
      },
    }),
  );
  const power = named('CodeCommitPowerUser', allow('codecommit:*'));
  const push = (context: Record<string, string>, action = 'codecommit:GitPush') =>
    evaluate(request({ action, context, identityPolicies: [protect, power] }));

  it.each(['refs/heads/main', 'refs/heads/prod'])('denies a push to %s', (ref) => {
    const result = push({ 'codecommit:References': ref });
    expect(result.decision).toBe('explicitDeny');
    expect(result.reason).toMatchObject({ kind: 'explicitDeny', policyType: 'identity', statement: { policyId: protect.id, index: 0, effect: 'Deny' } });
  });

  it('allows a push to refs/heads/dev', () => {
    expect(push({ 'codecommit:References': 'refs/heads/dev' }).decision).toBe('allowed');
  });

  it('does not deny a request without codecommit:References (the git-receive-pack handshake)', () => {
    const result = push({});
    expect(result.decision).toBe('allowed');
    expect(result.matchedStatements.map((s) => s.effect)).toEqual(['Allow']);
    expect(result.missingContextValues).toEqual(['codecommit:References']);
  });

  it('covers the Merge* actions by wildcard', () => {
    expect(push({ 'codecommit:References': 'refs/heads/main' }, 'codecommit:MergeBranchesBySquash').decision).toBe('explicitDeny');
    expect(push({ 'codecommit:References': 'refs/heads/main' }, 'codecommit:CreateBranch').decision).toBe('allowed');
  });

  it('explains the denial as AWS does', () => {
    const result = push({ 'codecommit:References': 'refs/heads/main' });
    expect(accessDeniedMessage(request({ action: 'codecommit:GitPush' }), result)).toBe(
      `User: ${alice.arn} is not authorized to perform: codecommit:GitPush on resource: ${REPO} with an explicit deny in an identity-based policy: arn:aws:iam::${ACCOUNT}:policy/ProtectBranches`,
    );
  });
});

describe('statement matching', () => {
  it('actions are case-insensitive, with * and ? wildcards', () => {
    expect(decide(allow('CodeCommit:gitpull'), 'codecommit:GitPull')).toBe('allowed');
    expect(decide(allow('codecommit:Get*'), 'CODECOMMIT:GETBRANCH')).toBe('allowed');
    expect(decide(allow('codecommit:Git?ull'), 'codecommit:GitPull')).toBe('allowed');
    expect(decide(allow('codecommit:*Branch'), 'codecommit:GetBranches')).toBe('implicitDeny');
    expect(decide(allow('codebuild:*'), 'codecommit:GitPull')).toBe('implicitDeny');
    expect(decide(allow('*'), 'codecommit:GitPull')).toBe('allowed');
  });

  it('resources are case-sensitive', () => {
    expect(decide(allow('codecommit:*', `arn:aws:codecommit:us-east-1:${ACCOUNT}:MY-REPO`), 'codecommit:GitPull')).toBe('implicitDeny');
    expect(decide(allow('codecommit:*', `arn:aws:codecommit:us-east-1:${ACCOUNT}:My-Repo`), 'codecommit:GitPull')).toBe('implicitDeny');
    expect(decide(allow('codecommit:*', REPO), 'codecommit:GitPull')).toBe('allowed');
  });

  it('resource wildcards stay within an ARN segment unless they end it', () => {
    const deployGroup = `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:app/prod`;
    expect(decide(allow('codedeploy:*', 'arn:aws:codedeploy:*:*:*'), 'codedeploy:GetDeploymentGroup', deployGroup)).toBe('allowed');
    expect(decide(allow('codedeploy:*', `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:app/*`), 'codedeploy:GetDeploymentGroup', deployGroup)).toBe('allowed');
    expect(decide(allow('codedeploy:*', `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploy*prod`), 'codedeploy:GetDeploymentGroup', deployGroup)).toBe('implicitDeny');
    expect(decide(allow('codedeploy:*', 'arn:aws:codedeploy:us-*-1:*:*'), 'codedeploy:GetDeploymentGroup', deployGroup)).toBe('allowed');
    expect(decide(allow('codecommit:*', `arn:aws:codecommit:us-east-1:${ACCOUNT}:my-rep?`), 'codecommit:GitPull')).toBe('allowed');
  });

  it('* in a resource spans slashes', () => {
    expect(decide(allow('s3:GetObject', 'arn:aws:s3:::bucket/*'), 's3:GetObject', 'arn:aws:s3:::bucket/a/b/c.txt')).toBe('allowed');
  });

  it('NotAction with Allow grants every other action within its Resource', () => {
    const doc = policy({ Effect: 'Allow', NotAction: 'codecommit:Delete*', Resource: REPO });
    expect(decide(doc, 'codecommit:GitPush')).toBe('allowed');
    expect(decide(doc, 'codebuild:StartBuild', REPO)).toBe('allowed');
    expect(decide(doc, 'codecommit:DeleteRepository')).toBe('implicitDeny');
    expect(decide(doc, 'codecommit:GitPush', `${REPO}-other`)).toBe('implicitDeny');
  });

  it('NotAction with Deny denies every other action and grants nothing', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 'codecommit:Get*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }] };
    expect(decide(doc, 'codecommit:GetBranch')).toBe('allowed');
    expect(decide(doc, 'codecommit:GitPush')).toBe('explicitDeny');
    expect(decide(deny('codecommit:GitPush'), 'codecommit:GetBranch')).toBe('implicitDeny');
  });

  it('NotResource matches every resource except those listed', () => {
    const doc = policy({ Effect: 'Allow', Action: 'codecommit:*', NotResource: [`arn:aws:codecommit:*:${ACCOUNT}:secret-*`] });
    expect(decide(doc, 'codecommit:GitPull')).toBe('allowed');
    expect(decide(doc, 'codecommit:GitPull', `arn:aws:codecommit:us-east-1:${ACCOUNT}:secret-keys`)).toBe('implicitDeny');
  });

  it('an unmatched condition keeps a statement from applying', () => {
    expect(decide(allow('codecommit:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }), 'codecommit:GitPull', REPO, { 'aws:RequestedRegion': 'us-east-1' })).toBe(
      'implicitDeny',
    );
  });
});

describe('decision order', () => {
  it('default is implicit deny', () => {
    const result = evaluate(request());
    expect(result.decision).toBe('implicitDeny');
    expect(accessDeniedReason(result, 'codecommit:GitPull')).toBe('because no identity-based policy allows the codecommit:GitPull action');
  });

  it('an explicit deny beats an allow in any policy type', () => {
    const cases: Partial<EvaluationRequest>[] = [
      { identityPolicies: [named('a', allowAll), named('d', deny('codecommit:GitPull'))] },
      { identityPolicies: [named('a', allowAll)], resourcePolicy: named('rp', deny('codecommit:GitPull', '*', { Principal: '*' })) },
      { identityPolicies: [named('a', allowAll)], permissionsBoundary: named('b', policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'codecommit:GitPull', Resource: '*' })) },
      {
        principal: builderSession,
        identityPolicies: [named('a', allowAll)],
        sessionPolicies: [named('s', policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'codecommit:*', Resource: '*' }))],
      },
    ];
    const types = cases.map((c) => {
      const result = evaluate(request(c));
      expect(result.decision).toBe('explicitDeny');
      return result.reason.kind === 'explicitDeny' ? result.reason.policyType : undefined;
    });
    expect(types).toEqual(['identity', 'resource', 'permissionsBoundary', 'session']);
  });

  it('words each explicit deny by its policy type', () => {
    const reason = (r: Partial<EvaluationRequest>) => accessDeniedReason(evaluate(request(r)), 'codecommit:GitPull');
    expect(reason({ identityPolicies: [named('InlineDeny', deny('*'))] })).toBe('with an explicit deny in an identity-based policy');
    expect(reason({ resourcePolicy: named('rp', deny('*', '*', { Principal: '*' })) })).toBe('with an explicit deny in a resource-based policy');
    expect(reason({ permissionsBoundary: named(`arn:aws:iam::${ACCOUNT}:policy/b`, deny('*')) })).toBe('with an explicit deny in a permissions boundary');
    expect(reason({ principal: builderSession, sessionPolicies: [named('s', deny('*'))] })).toBe('with an explicit deny in a session policy');
  });

  it('lists every applicable statement', () => {
    const result = evaluate(request({ identityPolicies: [named('a', allowAll), named('b', policy({ Sid: 'Pull', Effect: 'Allow', Action: 'codecommit:GitPull', Resource: REPO }))] }));
    expect(result.matchedStatements).toEqual([
      { policyId: 'a', policyType: 'identity', sid: undefined, index: 0, effect: 'Allow' },
      { policyId: 'b', policyType: 'identity', sid: 'Pull', index: 0, effect: 'Allow' },
    ]);
    expect(result.reason).toMatchObject({ kind: 'allow', policyType: 'identity', statement: { policyId: 'a' } });
  });
});

describe('permissions boundary and session policies', () => {
  const pullOnly = policy({ Effect: 'Allow', Action: 'codecommit:GitPull', Resource: '*' });

  it('the boundary intersects with identity policies', () => {
    const r = (action: string) => evaluate(request({ action, identityPolicies: [named('a', allowAll)], permissionsBoundary: named('b', pullOnly) }));
    expect(r('codecommit:GitPull').decision).toBe('allowed');
    const push = r('codecommit:GitPush');
    expect(push.decision).toBe('implicitDeny');
    expect(accessDeniedReason(push, 'codecommit:GitPush')).toBe('because no permissions boundary allows the codecommit:GitPush action');
  });

  it('a boundary alone grants nothing', () => {
    expect(evaluate(request({ permissionsBoundary: named('b', allowAll) })).reason).toEqual({ kind: 'noAllow', policyType: 'identity' });
  });

  it('session policies intersect with the role policies for a role session', () => {
    const r = (action: string) => evaluate(request({ action, principal: builderSession, identityPolicies: [named('a', allowAll)], sessionPolicies: [named('s', pullOnly)] }));
    expect(r('codecommit:GitPull').decision).toBe('allowed');
    expect(accessDeniedReason(r('codecommit:GitPush'), 'codecommit:GitPush')).toBe('because no session policy allows the codecommit:GitPush action');
  });

  it('several session policies allow what any of them allows', () => {
    const sessionPolicies = [named('s1', pullOnly), named('s2', allow('codecommit:GitPush'))];
    expect(evaluate(request({ action: 'codecommit:GitPush', principal: builderSession, identityPolicies: [named('a', allowAll)], sessionPolicies })).decision).toBe('allowed');
  });

  it('a role session without session policy keeps the role permissions; a federated user without one has none', () => {
    expect(evaluate(request({ principal: builderSession, identityPolicies: [named('a', allowAll)] })).decision).toBe('allowed');
    const federated = evaluate(request({ principal: federatedBob, identityPolicies: [named('a', allowAll)] }));
    expect(federated.reason).toEqual({ kind: 'noAllow', policyType: 'session' });
  });

  it('session policies do not limit a principal that is not a session', () => {
    expect(evaluate(request({ identityPolicies: [named('a', allowAll)], sessionPolicies: [named('s', pullOnly)], action: 'codecommit:GitPush' })).decision).toBe('allowed');
  });
});

describe('resource-based policies within the account', () => {
  const grantTo = (principal: unknown, action = 'codecommit:GitPull') => named('rp', policy({ Effect: 'Allow', Principal: principal, Action: action, Resource: REPO }));
  const pushOnly = named('b', allow('codecommit:GitPush'));

  it('naming the IAM user grants without an identity allow, even past a boundary', () => {
    const result = evaluate(request({ resourcePolicy: grantTo({ AWS: alice.arn }), permissionsBoundary: pushOnly }));
    expect(result.decision).toBe('allowed');
    expect(result.reason).toMatchObject({ kind: 'allow', policyType: 'resource' });
  });

  it('naming the role session grants past boundary and session policy', () => {
    expect(evaluate(request({ principal: builderSession, resourcePolicy: grantTo({ AWS: builderSession.arn }), permissionsBoundary: pushOnly, sessionPolicies: [pushOnly] })).decision).toBe(
      'allowed',
    );
  });

  it('naming the federated session grants; naming the user behind it is limited by the session policy', () => {
    expect(evaluate(request({ principal: federatedBob, resourcePolicy: grantTo({ AWS: federatedBob.arn }) })).decision).toBe('allowed');
    const viaUser = (sessionPolicies: PolicyInput[]) => evaluate(request({ principal: federatedBob, resourcePolicy: grantTo({ AWS: federatedBob.userArn }), sessionPolicies })).decision;
    expect(viaUser([])).toBe('implicitDeny');
    expect(viaUser([named('s', allowAll)])).toBe('allowed');
  });

  it('naming the role stands in for the identity allow but stays limited by boundary and session policy', () => {
    const viaRole = (extra: Partial<EvaluationRequest>) => evaluate(request({ principal: builderSession, resourcePolicy: grantTo({ AWS: roleArn }), ...extra }));
    expect(viaRole({}).decision).toBe('allowed');
    expect(viaRole({ permissionsBoundary: pushOnly }).reason).toEqual({ kind: 'noAllow', policyType: 'permissionsBoundary' });
    expect(viaRole({ sessionPolicies: [pushOnly] }).reason).toEqual({ kind: 'noAllow', policyType: 'session' });
    expect(evaluate(request({ principal: builderRole, resourcePolicy: grantTo({ AWS: roleArn }) })).decision).toBe('allowed');
  });

  it('naming the account delegates to identity policies and grants nothing by itself', () => {
    for (const principal of [{ AWS: ACCOUNT }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }]) {
      expect(evaluate(request({ resourcePolicy: grantTo(principal) })).decision).toBe('implicitDeny');
      expect(evaluate(request({ resourcePolicy: grantTo(principal), identityPolicies: [named('a', allowAll)] })).decision).toBe('allowed');
    }
  });

  it('"*" grants to everyone', () => {
    expect(evaluate(request({ resourcePolicy: grantTo('*') })).decision).toBe('allowed');
    expect(evaluate(request({ resourcePolicy: grantTo({ AWS: '*' }) })).decision).toBe('allowed');
  });

  it('a statement naming someone else does not apply', () => {
    const other = grantTo({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` });
    expect(evaluate(request({ resourcePolicy: other })).decision).toBe('implicitDeny');
    const denyBob = named('rp', policy({ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: '*', Resource: '*' }));
    expect(evaluate(request({ resourcePolicy: denyBob, identityPolicies: [named('a', allowAll)] })).decision).toBe('allowed');
  });

  it('a Deny naming the account applies to everyone in it', () => {
    const denyAccount = named('rp', policy({ Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: '*', Resource: '*' }));
    expect(evaluate(request({ resourcePolicy: denyAccount, identityPolicies: [named('a', allowAll)] })).decision).toBe('explicitDeny');
  });

  it('service principals are matched by name', () => {
    const codebuild: Principal = { type: 'service', arn: 'codebuild.amazonaws.com', accountId: '' };
    expect(evaluate(request({ principal: codebuild, resourcePolicy: grantTo({ Service: 'codebuild.amazonaws.com' }) })).decision).toBe('allowed');
    expect(evaluate(request({ principal: codebuild, resourcePolicy: grantTo({ Service: 'codepipeline.amazonaws.com' }) })).reason).toEqual({
      kind: 'noAllow',
      policyType: 'resource',
    });
  });
});

describe('NotPrincipal with Deny', () => {
  const denyAllBut = (...names: string[]) =>
    named('rp', policy({ Effect: 'Deny', NotPrincipal: { AWS: names }, Action: '*', Resource: '*' }, { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }));

  it('exempts a user listed with its account', () => {
    expect(evaluate(request({ resourcePolicy: denyAllBut(alice.arn, ACCOUNT) })).decision).toBe('allowed');
    expect(evaluate(request({ principal: { ...alice, arn: `arn:aws:iam::${ACCOUNT}:user/bob` }, resourcePolicy: denyAllBut(alice.arn, ACCOUNT) })).decision).toBe('explicitDeny');
  });

  it('denies a user listed without its account', () => {
    expect(evaluate(request({ resourcePolicy: denyAllBut(alice.arn) })).decision).toBe('explicitDeny');
  });

  it('a role session needs account, role and session listed', () => {
    expect(evaluate(request({ principal: builderSession, resourcePolicy: denyAllBut(ACCOUNT, roleArn, builderSession.arn) })).decision).toBe('allowed');
    expect(evaluate(request({ principal: builderSession, resourcePolicy: denyAllBut(ACCOUNT, roleArn) })).decision).toBe('explicitDeny');
  });

  it('always denies a caller that has a permissions boundary', () => {
    expect(evaluate(request({ resourcePolicy: denyAllBut(alice.arn, ACCOUNT), permissionsBoundary: named('b', allowAll) })).decision).toBe('explicitDeny');
  });
});

describe('NotPrincipal with Allow', () => {
  const allowAllBut = (...names: string[]) => named('rp', policy({ Effect: 'Allow', NotPrincipal: { AWS: names }, Action: '*', Resource: '*' }));

  it('never grants the principal it names', () => {
    expect(evaluate(request({ resourcePolicy: allowAllBut(alice.arn) })).decision).toBe('implicitDeny');
    expect(evaluate(request({ resourcePolicy: allowAllBut(alice.arn, ACCOUNT) })).decision).toBe('implicitDeny');
    expect(evaluate(request({ principal: builderSession, resourcePolicy: allowAllBut(roleArn) })).decision).toBe('implicitDeny');
    expect(evaluate(request({ principal: builderSession, resourcePolicy: allowAllBut(builderSession.arn) })).decision).toBe('implicitDeny');
  });

  it('grants a principal it does not name', () => {
    const bob = { ...alice, arn: `arn:aws:iam::${ACCOUNT}:user/bob` };
    expect(evaluate(request({ principal: bob, resourcePolicy: allowAllBut(alice.arn) })).decision).toBe('allowed');
  });
});

describe('the account root user', () => {
  it('is allowed everything in its own account without policies', () => {
    const result = evaluate(request({ principal: root, action: 'codecommit:DeleteRepository' }));
    expect(result.decision).toBe('allowed');
    expect(result.reason).toEqual({ kind: 'rootUser' });
  });

  it('is denied by a resource policy Deny', () => {
    expect(evaluate(request({ principal: root, resourcePolicy: named('rp', deny('*', '*', { Principal: { AWS: ACCOUNT } })) })).decision).toBe('explicitDeny');
  });

  it('needs a resource policy allow in another account', () => {
    expect(evaluate(request({ principal: root, resourceAccount: OTHER_ACCOUNT })).decision).toBe('implicitDeny');
    const grant = named('rp', allow('*', '*', { Principal: { AWS: ACCOUNT } }));
    expect(evaluate(request({ principal: root, resourceAccount: OTHER_ACCOUNT, resourcePolicy: grant })).decision).toBe('allowed');
  });
});

describe('across accounts', () => {
  const otherRepo = `arn:aws:codecommit:us-east-1:${OTHER_ACCOUNT}:their-repo`;
  const crossAccount = (extra: Partial<EvaluationRequest>) => evaluate(request({ resource: otherRepo, resourceAccount: OTHER_ACCOUNT, ...extra }));

  it('needs both the identity policy and the resource policy to allow', () => {
    const grant = named('rp', allow('codecommit:*', '*', { Principal: { AWS: alice.arn } }));
    expect(crossAccount({ resourcePolicy: grant }).reason).toEqual({ kind: 'noAllow', policyType: 'identity' });
    expect(crossAccount({ identityPolicies: [named('a', allowAll)] }).reason).toEqual({ kind: 'noAllow', policyType: 'resource' });
    expect(crossAccount({ identityPolicies: [named('a', allowAll)], resourcePolicy: grant }).decision).toBe('allowed');
  });

  it('a resource policy naming the account is enough on the resource side', () => {
    const grant = named('rp', allow('codecommit:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }));
    expect(crossAccount({ identityPolicies: [named('a', allowAll)], resourcePolicy: grant }).decision).toBe('allowed');
  });

  it('words a missing resource-side allow', () => {
    expect(accessDeniedReason(crossAccount({ identityPolicies: [named('a', allowAll)] }), 'codecommit:GitPull')).toBe(
      'because no resource-based policy allows the codecommit:GitPull action',
    );
  });
});

describe('role trust policies', () => {
  const trust = (principal: unknown) =>
    named('trust', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
  const assume = (principal: Principal, trustPolicy: PolicyInput, identityPolicies: PolicyInput[] = []) =>
    evaluate({ action: 'sts:AssumeRole', resource: roleArn, principal, identityPolicies, trustPolicy }).decision;

  it('must allow the caller even within the account', () => {
    expect(assume(alice, trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }), [named('a', allowAll)])).toBe('implicitDeny');
  });

  it('naming the user grants alone; naming the account needs an identity allow', () => {
    expect(assume(alice, trust({ AWS: alice.arn }))).toBe('allowed');
    expect(assume(alice, trust({ AWS: ACCOUNT }))).toBe('implicitDeny');
    expect(assume(alice, trust({ AWS: ACCOUNT }), [named('a', allow('sts:AssumeRole'))])).toBe('allowed');
  });

  it('lets a named service assume the role', () => {
    const codebuild: Principal = { type: 'service', arn: 'codebuild.amazonaws.com', accountId: '' };
    expect(assume(codebuild, trust({ Service: 'codebuild.amazonaws.com' }))).toBe('allowed');
    expect(assume(codebuild, trust({ Service: ['codepipeline.amazonaws.com'] }))).toBe('implicitDeny');
  });

  it('lets a web identity provider assume the role under its conditions', () => {
    const github: Principal = { type: 'identity-provider', arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`, accountId: ACCOUNT };
    const policyDoc = named('trust', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: github.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } },
        },
      ],
    });
    const run = (sub: string) =>
      evaluate({ action: 'sts:AssumeRoleWithWebIdentity', resource: roleArn, principal: github, identityPolicies: [], trustPolicy: policyDoc, context: { 'token.actions.githubusercontent.com:sub': sub } })
        .decision;
    expect(run('repo:acme/app:ref:refs/heads/main')).toBe('allowed');
    expect(run('repo:evil/app:ref:refs/heads/main')).toBe('implicitDeny');
  });
});

describe('missing context values', () => {
  it('reports keys referenced by applicable statements, including conditions not reached', () => {
    const doc = allow('codecommit:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'dev' }, Bool: { 'aws:SecureTransport': 'true' } } });
    const result = evaluate(request({ identityPolicies: [named('p', doc)], context: { 'aws:SecureTransport': true } }));
    expect(result.missingContextValues).toEqual(['aws:PrincipalTag/team']);
  });

  it('ignores statements whose action does not match', () => {
    const doc = allow('codebuild:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'dev' } } });
    expect(evaluate(request({ identityPolicies: [named('p', doc)] })).missingContextValues).toEqual([]);
  });
});

describe('malformed stored policies', () => {
  it('fail the evaluation', () => {
    expect(() => evaluate(request({ identityPolicies: [{ id: 'bad', document: '{"Statement": []}' }] }))).toThrow('Syntax errors in policy.');
  });
});
