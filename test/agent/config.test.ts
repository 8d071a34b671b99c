import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandClient } from '../../agent/command-client.js';
import { ConfigError, loadAgentConfig, loadIdentity } from '../../agent/config.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'agent-config-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const file = async (name: string, text: string) => {
  await writeFile(join(work, name), text);
  return join(work, name);
};

describe('agent configuration', () => {
  it("reads codedeployagent.yml's symbol keys with the real agent's defaults", async () => {
    const config = await loadAgentConfig(await file('a.yml', ":root_dir: /var/deploy\n:deploy_control_endpoint: http://127.0.0.1:4566\n:enable_auth_policy: true\n:http_read_timeout: 5\n"));
    expect(config).toEqual({
      deployControlEndpoint: 'http://127.0.0.1:4566',
      s3EndpointOverride: undefined,
      rootDir: '/var/deploy',
      maxRevisions: 5,
      waitBetweenRuns: 30,
      onPremisesConfigFile: '/etc/codedeploy-agent/conf/codedeploy.onpremises.yml',
      enableAuthPolicy: true,
      httpReadTimeout: 5,
    });
    await expect(loadAgentConfig(await file('b.yml', ':max_revisions: 0\n'))).rejects.toThrow('Invalid configuration :max_revision=0');
  });

  it('takes an IAM user with keys, or a session whose credentials file is read again each time', async () => {
    const user = await loadIdentity(await file('u.yml', 'region: eu-west-1\niam_user_arn: arn:aws:iam::1:user/u\naws_access_key_id: AK\naws_secret_access_key: SK\n'), {});
    expect([user.region, user.hostIdentifier, await user.credentials()]).toEqual(['eu-west-1', 'arn:aws:iam::1:user/u', { accessKeyId: 'AK', secretAccessKey: 'SK' }]);
    const creds = await file('creds', '[default]\naws_access_key_id = ASIA1\naws_secret_access_key = S1\naws_session_token = T1\n');
    const session = await loadIdentity(await file('s.yml', `region: us-east-1\niam_session_arn: arn:aws:sts::1:assumed-role/r/i-1\naws_credentials_file: ${creds}\n`), {});
    expect(await session.credentials()).toEqual({ accessKeyId: 'ASIA1', secretAccessKey: 'S1', sessionToken: 'T1' });
    await writeFile(creds, '[other]\naws_access_key_id = X\n[default]\naws_access_key_id = ASIA2\naws_secret_access_key = S2\naws_session_token = T2\n');
    expect(await session.credentials()).toEqual({ accessKeyId: 'ASIA2', secretAccessKey: 'S2', sessionToken: 'T2' });
    const overridden = await loadIdentity(join(work, 'u.yml'), { AWS_HOST_IDENTIFIER: 'arn:aws:ec2:us-east-1:1:instance/i-1' });
    expect(overridden.hostIdentifier).toBe('arn:aws:ec2:us-east-1:1:instance/i-1');
  });

  it('refuses both ARNs, a user without keys and a file without either', async () => {
    await expect(loadIdentity(await file('both.yml', 'region: r\niam_user_arn: a\niam_session_arn: b\n'), {})).rejects.toBeInstanceOf(ConfigError);
    await expect(loadIdentity(await file('nokeys.yml', 'region: r\niam_user_arn: a\n'), {})).rejects.toThrow(/needs aws_access_key_id/);
    await expect(loadIdentity(await file('none.yml', 'region: r\n'), {})).rejects.toThrow(/neither iam_user_arn nor iam_session_arn/);
  });

  it('speaks the secure stack when :enable_auth_policy: is set', async () => {
    const seen: { target: string; auth: string; version: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      seen.push({ target: String(req.headers['x-amz-target']), auth: String(req.headers.authorization), version: String(req.headers['x-amz-codedeploy-agent-version']) });
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'com.amazonaws.codedeploy.commands#ClientException', message: 'nope' }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const config = await loadAgentConfig(await file('secure.yml', `:deploy_control_endpoint: ${endpoint}\n:enable_auth_policy: true\n`));
      const client = new CommandClient(config, { region: 'us-west-2', hostIdentifier: 'h', credentials: async () => ({ accessKeyId: 'AK', secretAccessKey: 'SK' }) });
      await expect(client.pollHostCommand()).rejects.toThrow('ClientException: nope');
      expect(seen[0].target).toBe('CodeDeployCommandService.PollHostCommand');
      expect(seen[0].auth).toMatch(/Credential=AK\/\d{8}\/us-west-2\/codedeploy-commands-secure\/aws4_request/);
      expect(seen[0].version).not.toBe('undefined');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
