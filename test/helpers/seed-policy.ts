/**
 * The lab this project was seeded with (CodeCommit User Guide, "Limit pushes and merges to
 * branches"): deny pushes, branch deletes, file puts and every merge into main and prod.
 */
export function seedLabDenyPolicy(resource: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: [
          'codecommit:GitPush',
          'codecommit:DeleteBranch',
          'codecommit:PutFile',
          'codecommit:MergeBranchesByFastForward',
          'codecommit:MergeBranchesBySquash',
          'codecommit:MergeBranchesByThreeWay',
          'codecommit:MergePullRequestByFastForward',
          'codecommit:MergePullRequestBySquash',
          'codecommit:MergePullRequestByThreeWay',
        ],
        Resource: resource,
        Condition: {
          StringEqualsIfExists: { 'codecommit:References': ['refs/heads/main', 'refs/heads/prod'] },
          Null: { 'codecommit:References': 'false' },
        },
      },
    ],
  };
}
