/**
 * Added latency of IAM enforcement per API call (issue 7): the same GetRepository calls against
 * a server without enforcement and one with it (signature verified, a user with the seed lab's
 * two policies plus AWSCodeCommitPowerUser through a group), in the same run. Prints figures.
 * Run with `npx tsx bench/iam-enforcement.bench.ts`.
 */
import { CodeCommitClient, CreateRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { startServer, type RunningServer } from '../src/server.js';
import { allowAllCodeCommit, seedDenyPolicy } from '../test/iam-enforcement/helpers.js';

const CALLS = 2000;
const root = { accessKeyId: 'test', secretAccessKey: 'test' };

async function callerKeys(server: RunningServer): Promise<typeof root> {
  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root });
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'all', PolicyDocument: allowAllCodeCommit }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'protect', PolicyDocument: seedDenyPolicy('arn:aws:codecommit:us-east-1:000000000000:bench') }));
  await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

async function measure(enforceIam: boolean): Promise<{ perCallMs: number; p50: number; p99: number }> {
  const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent', enforceIam });
  try {
    const keys = await callerKeys(server);
    const cc = new CodeCommitClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: keys });
    await new CodeCommitClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root }).send(new CreateRepositoryCommand({ repositoryName: 'bench' }));
    for (let i = 0; i < 200; i++) await cc.send(new GetRepositoryCommand({ repositoryName: 'bench' }));
    const latencies: number[] = [];
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      await cc.send(new GetRepositoryCommand({ repositoryName: 'bench' }));
      latencies.push(performance.now() - t);
    }
    const total = performance.now() - start;
    latencies.sort((a, b) => a - b);
    return { perCallMs: total / CALLS, p50: latencies[Math.floor(CALLS / 2)], p99: latencies[Math.floor(CALLS * 0.99)] };
  } finally {
    await server.stop();
  }
}

const off = await measure(false);
const on = await measure(true);
const fmt = (r: typeof off) => `${r.perCallMs.toFixed(3)} ms/call (p50 ${r.p50.toFixed(3)}, p99 ${r.p99.toFixed(3)})`;
console.log(`GetRepository, ${CALLS} sequential calls, client and server in one process`);
console.log(`  enforcement off: ${fmt(off)}`);
console.log(`  enforcement on:  ${fmt(on)}`);
console.log(`  added by enforcement: ${(on.perCallMs - off.perCallMs).toFixed(3)} ms per call (p50 ${(on.p50 - off.p50).toFixed(3)} ms)`);
