import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer, unverifiedSigV4 } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());


async function callJson(service: string, target: string, body: unknown) {
  const res = await fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: unverifiedSigV4(service) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { __type?: string; message?: string } & Record<string, unknown> };
}

describe('JSON null, as AWS reads it', () => {
  it('is an invalid item inside a list', async () => {
    const builds = await callJson('codebuild', 'CodeBuild_20161006.BatchGetProjects', { names: [null] });
    expect(builds.status).toBe(400);
    expect(builds.body.__type).toBe('ValidationException');
    expect(builds.body.message).toBe("1 validation error detected: Value null at 'names.1.member' failed to satisfy constraint: Member must not be null");
    const ssm = await callJson('ssm', 'AmazonSSM.DeleteParameters', { Names: ['/a', null] });
    expect(ssm.status).toBe(400);
    expect(ssm.body.__type).toBe('ValidationException');
    expect(ssm.body.message).toContain("Value null at 'names.2.member' failed to satisfy constraint: Member must not be null");
  });

  it('is an absent member of a structure', async () => {
    const listed = await callJson('events', 'AWSEvents.ListApiDestinations', { NextToken: null, Limit: null });
    expect(listed.status).toBe(200);
    expect(listed.body.ApiDestinations).toEqual([]);
    const missing = await callJson('ssm', 'AmazonSSM.GetParameter', { Name: null });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("Value null at 'name' failed to satisfy constraint: Member must not be null");
  });
});
