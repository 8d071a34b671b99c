import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/core/context.js';
import type { ServiceDefinition } from '../../src/core/service.js';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';

let server: RunningServer;
let service: ServiceDefinition;
const ctx = { region: 'us-east-1', accountId: '111122223333' } as RequestContext;

beforeAll(async () => {
  server = await testServer();
  service = server.services.find((s) => s.name === 'codecommit')!;
});
afterAll(() => server.stop());

const READS = [
  'GetFile',
  'GetFolder',
  'GetBlob',
  'GetCommit',
  'BatchGetCommits',
  'GetDifferences',
  'ListFileCommitHistory',
  'GetMergeOptions',
  'GetMergeConflicts',
  'DescribeMergeConflicts',
  'BatchDescribeMergeConflicts',
  'GetMergeCommit',
];

describe('IAM declarations of the content API', () => {
  it('names each operation’s own action on the repository', () => {
    for (const op of [...READS, 'PutFile', 'DeleteFile', 'CreateCommit', 'MergeBranchesByFastForward', 'MergeBranchesBySquash', 'MergeBranchesByThreeWay', 'CreateUnreferencedMergeCommit']) {
      const { iam } = service.operations[op];
      expect(iam.action).toBe(`codecommit:${op}`);
      expect(iam.resource({ repositoryName: 'demo' }, ctx)).toBe('arn:aws:codecommit:us-east-1:111122223333:demo');
    }
    for (const op of READS) expect(service.operations[op].iam.conditionKeys).toBeUndefined();
  });

  it('gives writes the ref they change as codecommit:References', () => {
    const refs = (op: string, input: object) => service.operations[op].iam.conditionKeys!(input, ctx);
    for (const op of ['PutFile', 'DeleteFile', 'CreateCommit']) {
      expect(refs(op, { branchName: 'main' })).toEqual({ 'codecommit:References': 'refs/heads/main' });
    }
    for (const op of ['MergeBranchesByFastForward', 'MergeBranchesBySquash', 'MergeBranchesByThreeWay', 'CreateUnreferencedMergeCommit']) {
      expect(refs(op, { destinationCommitSpecifier: 'main', sourceCommitSpecifier: 'feature' })).toEqual({ 'codecommit:References': 'refs/heads/main' });
      expect(refs(op, { destinationCommitSpecifier: 'main', targetBranch: 'release/2' })).toEqual({ 'codecommit:References': 'refs/heads/release/2' });
    }
  });
});
