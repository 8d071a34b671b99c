import { GetParameterCommand, GetParametersCommand, LabelParameterVersionCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { ssm } from './helpers.js';

let server: RunningServer;
let client: SSMClient;
beforeAll(async () => {
  server = await testServer();
  client = ssm(server);
});
afterAll(() => server.stop());

const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

describe('PutParameter and GetParameter', () => {
  it('creates a String parameter and reads it back with its ARN, version and data type', async () => {
    const put = await client.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db.internal', Type: 'String', Description: 'host' }));
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/app/db/host' }));
    expect(Parameter).toMatchObject({
      Name: '/app/db/host',
      Type: 'String',
      Value: 'db.internal',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host',
      DataType: 'text',
    });
    expect(Parameter!.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('names a parameter without a leading slash in its ARN the same way', async () => {
    await client.send(new PutParameterCommand({ Name: 'plain-name', Value: 'v', Type: 'String' }));
    const { Parameter } = await client.send(new GetParameterCommand({ Name: 'plain-name' }));
    expect(Parameter!.ARN).toBe('arn:aws:ssm:us-east-1:000000000000:parameter/plain-name');
    const byArn = await client.send(new GetParameterCommand({ Name: Parameter!.ARN }));
    expect(byArn.Parameter!.Name).toBe('plain-name');
  });

  it('keeps a StringList as the comma-separated text it was given', async () => {
    await client.send(new PutParameterCommand({ Name: '/app/list', Value: 'a,b,c', Type: 'StringList' }));
    expect((await client.send(new GetParameterCommand({ Name: '/app/list' }))).Parameter).toMatchObject({ Type: 'StringList', Value: 'a,b,c' });
  });

  it('shows a SecureString only as ciphertext unless decryption is asked for', async () => {
    await client.send(new PutParameterCommand({ Name: '/app/secret', Value: 's3cr3t', Type: 'SecureString' }));
    const hidden = (await client.send(new GetParameterCommand({ Name: '/app/secret' }))).Parameter!;
    expect(hidden.Type).toBe('SecureString');
    expect(hidden.Value).not.toContain('s3cr3t');
    expect(Buffer.from(hidden.Value!, 'base64').length).toBeGreaterThan(16);
    const shown = (await client.send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }))).Parameter!;
    expect(shown.Value).toBe('s3cr3t');
  });

  it('refuses to overwrite without Overwrite and changes nothing', async () => {
    await client.send(new PutParameterCommand({ Name: '/once', Value: 'first', Type: 'String' }));
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/once', Value: 'second', Type: 'String' })));
    expect(e).toMatchObject({
      name: 'ParameterAlreadyExists',
      message: 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      status: 400,
    });
    expect((await client.send(new GetParameterCommand({ Name: '/once' }))).Parameter).toMatchObject({ Value: 'first', Version: 1 });
  });

  it('overwrites into a new version that keeps the type, description and pattern left out', async () => {
    await client.send(new PutParameterCommand({ Name: '/ow', Value: '10', Type: 'String', Description: 'port', AllowedPattern: '\\d+' }));
    const put = await client.send(new PutParameterCommand({ Name: '/ow', Value: '20', Overwrite: true }));
    expect(put.Version).toBe(2);
    expect((await client.send(new GetParameterCommand({ Name: '/ow' }))).Parameter).toMatchObject({ Type: 'String', Value: '20', Version: 2 });
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/ow', Value: 'abc', Overwrite: true })));
    expect(e).toMatchObject({ name: 'ParameterPatternMismatchException', message: 'Parameter value, cannot be validated against allowedPattern: \\d+' });
  });

  it('checks AllowedPattern against the whole value and refuses a pattern that is not a regular expression', async () => {
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/pat', Value: '12345', Type: 'String', AllowedPattern: '\\d{1,4}' })));
    expect(e.name).toBe('ParameterPatternMismatchException');
    expect(e.message).toBe('Parameter value, cannot be validated against allowedPattern: \\d{1,4}');
    const bad = await awsError(client.send(new PutParameterCommand({ Name: '/pat', Value: 'x', Type: 'String', AllowedPattern: '([a-z' })));
    expect(bad).toMatchObject({ name: 'InvalidAllowedPatternException', message: "The request doesn't meet the regular expression requirement." });
    expect((await awsError(client.send(new GetParameterCommand({ Name: '/pat' })))).name).toBe('ParameterNotFound');
  });

  it('requires a type to create a parameter and a value to put', async () => {
    expect(await awsError(client.send(new PutParameterCommand({ Name: '/untyped', Value: 'v' })))).toMatchObject({
      name: 'ValidationException',
      message: 'A parameter type is required when you create a parameter.',
    });
    expect(await awsError(client.send(new PutParameterCommand({ Name: '/empty', Value: '', Type: 'String' })))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
    });
  });

  it('answers bad input with the model constraint text, member names in lower camel case', async () => {
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/t', Value: 'v', Type: 'str' as never })));
    expect(e).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'str' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]",
    });
    const names = Array.from({ length: 11 }, (_, i) => `n${i}`);
    expect((await awsError(client.send(new GetParametersCommand({ Names: names })))).message).toBe(
      `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  });

  it('refuses tags together with Overwrite', async () => {
    const e = await awsError(
      client.send(new PutParameterCommand({ Name: '/tagged', Value: 'v', Type: 'String', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] })),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/^Invalid request: tags and overwrite can't be used together\./);
  });

  it('validates names as AWS does', async () => {
    const put = (Name: string) => awsError(client.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' })));
    expect(await put('has space')).toMatchObject({ name: 'ValidationException', message: INVALID_NAME });
    expect(await put('/double//slash')).toMatchObject({ name: 'ValidationException', message: INVALID_NAME });
    expect(await put('relative/path')).toMatchObject({ name: 'ValidationException', message: 'Parameter name must be a fully qualified name.' });
    expect(await put('ssm_test')).toMatchObject({ message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).' });
    expect(await put('AWS_TEST')).toMatchObject({ message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).' });
    expect(await put('/SSM/path/to/var')).toMatchObject({ message: INVALID_NAME });
    expect(await put('/aws/path/to/var')).toMatchObject({ name: 'AccessDeniedException', message: 'No access to reserved parameter name: /aws/path/to/var.' });
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
    expect(await put(deep)).toMatchObject({ name: 'HierarchyLevelLimitExceededException' });
    const fifteen = `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`;
    await client.send(new PutParameterCommand({ Name: fifteen, Value: 'v', Type: 'String' }));
    expect((await awsError(client.send(new GetParameterCommand({ Name: '{bad}-name' })))).message).toBe(INVALID_NAME);
  });

  it('keeps the KMS key of a SecureString and refuses one that names no key', async () => {
    await client.send(new PutParameterCommand({ Name: '/keyed', Value: 'v', Type: 'SecureString', KeyId: 'alias/my-key' }));
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/bad-key', Value: 'v', Type: 'SecureString', KeyId: 'not-a-key' })));
    expect(e).toMatchObject({ name: 'InvalidKeyId', status: 400 });
    const s = await awsError(client.send(new PutParameterCommand({ Name: '/str-key', Value: 'v', Type: 'String', KeyId: 'alias/my-key' })));
    expect(s).toMatchObject({ name: 'ValidationException', message: 'KeyId is required for SecureString type parameter only.' });
  });

  it('checks data types', async () => {
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/dt', Value: 'v', Type: 'String', DataType: 'not_text' })));
    expect(e).toMatchObject({ name: 'ValidationException', message: 'The following data type is not supported: not_text (Data type names are all lowercase.)' });
    await client.send(new PutParameterCommand({ Name: '/ami', Value: 'ami-0123456789abcdef0', Type: 'String', DataType: 'aws:ec2:image' }));
    expect((await client.send(new GetParameterCommand({ Name: '/ami' }))).Parameter!.DataType).toBe('aws:ec2:image');
  });

  it('keeps values over 4 KB to the advanced tier, and never moves a parameter back down', async () => {
    const big = 'x'.repeat(5000);
    const e = await awsError(client.send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/^Standard tier parameters support a maximum parameter value of 4096 characters\./);
    const auto = await client.send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String', Tier: 'Intelligent-Tiering' }));
    expect(auto.Tier).toBe('Advanced');
    const down = await awsError(client.send(new PutParameterCommand({ Name: '/big', Value: 'small', Overwrite: true, Tier: 'Standard' })));
    expect(down.message).toMatch(/^This parameter uses the advanced-parameter tier\. You can't downgrade/);
    expect((await client.send(new PutParameterCommand({ Name: '/big', Value: 'small', Overwrite: true }))).Tier).toBe('Advanced');
  });

  it('reports a missing parameter as AWS does', async () => {
    expect(await awsError(client.send(new GetParameterCommand({ Name: '/nope' })))).toMatchObject({
      name: 'ParameterNotFound',
      message: 'Parameter /nope not found.',
      status: 400,
    });
  });
});

describe('version and label selectors', () => {
  it('reads an older version by number and a labelled one by label', async () => {
    await client.send(new PutParameterCommand({ Name: 'sel', Value: 'one', Type: 'String' }));
    await client.send(new PutParameterCommand({ Name: 'sel', Value: 'two', Type: 'String', Overwrite: true }));
    const v1 = (await client.send(new GetParameterCommand({ Name: 'sel:1' }))).Parameter!;
    expect(v1).toMatchObject({ Name: 'sel', Value: 'one', Version: 1, Selector: ':1' });
    await client.send(new LabelParameterVersionCommand({ Name: 'sel', ParameterVersion: 1, Labels: ['stable'] }));
    expect((await client.send(new GetParameterCommand({ Name: 'sel:stable' }))).Parameter).toMatchObject({ Value: 'one', Version: 1 });
  });

  it('tells a missing version from a missing parameter', async () => {
    expect(await awsError(client.send(new GetParameterCommand({ Name: 'sel:9' })))).toMatchObject({
      name: 'ParameterVersionNotFound',
      message: 'Systems Manager could not find version 9 of sel. Verify the version and try again.',
    });
    expect(await awsError(client.send(new GetParameterCommand({ Name: 'sel:2:3' })))).toMatchObject({ name: 'ParameterNotFound', message: 'Parameter sel:2:3 not found.' });
    expect(await awsError(client.send(new GetParameterCommand({ Name: 'nothing:2' })))).toMatchObject({ name: 'ParameterNotFound', message: 'Parameter nothing:2 not found.' });
  });

  it('GetParameters returns what exists and lists the rest as invalid, each name once', async () => {
    const out = await client.send(new GetParametersCommand({ Names: ['sel', 'sel', 'sel:1', 'sel:9', 'sel:nolabel', '/missing'], WithDecryption: true }));
    expect(out.Parameters!.map((p) => `${p.Name}@${p.Version}`)).toEqual(['sel@2', 'sel@1']);
    expect(out.InvalidParameters).toEqual(['sel:9', 'sel:nolabel', '/missing']);
  });
});
