import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ bodyLimit: 64 * 1024 });
});
afterAll(() => server.stop());

const signedScope = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-3/codecommit/aws4_request, SignedHeaders=host, Signature=abc';

function callJson(target: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: signedScope, ...headers },
    body,
  });
}

describe('AWS JSON 1.1 front', () => {
  it('answers an unknown operation with UnknownOperationException', async () => {
    const res = await callJson('CodeCommit_20150413.FlyToTheMoon', '{}');
    expect(res.status).toBe(400);
    expect((await res.json()).__type).toBe('UnknownOperationException');
    const unknownService = await callJson('NoSuchService_20990101.Anything', '{}');
    expect((await unknownService.json()).__type).toBe('UnknownOperationException');
  });

  it('answers malformed JSON and wrongly typed members with SerializationException', async () => {
    const bad = await callJson('CodeCommit_20150413.GetRepository', '{"repositoryName": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).__type).toBe('SerializationException');
    const typed = await callJson('CodeCommit_20150413.GetRepository', '{"repositoryName": {"a": 1}}');
    expect(typed.status).toBe(400);
    expect((await typed.json()).__type).toBe('SerializationException');
  });

  it('answers an oversized body with a 413 AWS error, and keeps serving', async () => {
    const res = await callJson('CodeCommit_20150413.GetRepository', JSON.stringify({ repositoryName: 'x'.repeat(100_000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    const health = await fetch(`${server.endpoint}/_codesuite/health`);
    expect(health.status).toBe(200);
  });

  it('takes the region from the SigV4 credential scope', async () => {
    const created = await callJson('CodeCommit_20150413.CreateRepository', JSON.stringify({ repositoryName: 'scoped' }));
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(created.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const body = await created.json();
    expect(body.repositoryMetadata.Arn).toBe('arn:aws:codecommit:eu-west-3:000000000000:scoped');
    expect(typeof body.repositoryMetadata.creationDate).toBe('number');
  });

  it('reports each service in the health document', async () => {
    const res = await fetch(`${server.endpoint}/_codesuite/health`);
    const health = await res.json();
    expect(health.status).toBe('running');
    expect(health.services.codecommit.status).toBe('running');
  });
});

describe('AWS Query front', () => {
  it('serves STS GetCallerIdentity to the SDK', async () => {
    const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  it('answers an unknown action with InvalidAction in an ErrorResponse', async () => {
    const res = await fetch(`${server.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc',
      },
      body: 'Action=Teleport&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain('Could not find operation Teleport for version 2011-06-15');
  });
});
