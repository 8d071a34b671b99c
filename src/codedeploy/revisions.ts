import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import type { CodeDeployContext } from './context.js';
import { cdError, invalidRevision } from './errors.js';
import type { Scope } from './records.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The identity of a revision within an application: what makes two registrations the same revision. */
export function revisionKey(r: RevisionLocation): string {
  switch (r.revisionType) {
    case 'S3': {
      // Lookups may name a revision type without its location; such a key simply matches nothing.
      const s = r.s3Location ?? {};
      return `S3|${s.bucket ?? ''}|${s.key ?? ''}|${s.bundleType ?? ''}|${s.version ?? ''}|${s.eTag ?? ''}`;
    }
    case 'GitHub':
      return `GitHub|${r.gitHubLocation?.repository ?? ''}|${r.gitHubLocation?.commitId ?? ''}`;
    case 'String':
      return `String|${sha256(r.string?.content ?? '')}`;
    default:
      return `AppSpecContent|${sha256(r.appSpecContent?.content ?? '')}`;
  }
}

const SERVER_BUNDLES = ['zip', 'tar', 'tgz'];

/**
 * Checks a revision the way CodeDeploy does before it registers or deploys it, against
 * codesuite's own services: an S3 bundle must exist (with the version and ETag given, if any), a
 * GitHub revision must name a commit of the CodeCommit repository of the same name, content
 * revisions carry their SHA-256. Returns the revision as stored (String/AppSpecContent hashes filled in).
 */
export async function resolveRevision(c: CodeDeployContext, ctx: RequestContext, scope: Scope, r: RevisionLocation | undefined, computePlatform: string): Promise<RevisionLocation> {
  if (!r || !r.revisionType) throw cdError('RevisionRequiredException', 'The revision ID was not specified.');
  switch (r.revisionType) {
    case 'S3': {
      const s = r.s3Location;
      if (!s?.bucket) throw cdError('InvalidRevisionException', 'The bucket name was not specified.');
      if (!s.key) throw invalidRevision('The key of the revision was not specified.');
      if (!s.bundleType) throw cdError('InvalidRevisionException', 'The bundle type was not specified.');
      if (computePlatform === 'Server' && !SERVER_BUNDLES.includes(s.bundleType)) throw invalidRevision(`The bundle type ${s.bundleType} is not valid for the Server compute platform; use tar, tgz or zip.`);
      let head;
      try {
        head = await c.platform.headObject(ctx.caller, ctx.region, s.bucket, s.key, s.version);
      } catch (err) {
        if (isAwsError(err) && /NoSuch|NotFound|AccessDenied|Forbidden/.test(err.code)) {
          throw invalidRevision(`The S3 object s3://${s.bucket}/${s.key}${s.version ? ` (version ${s.version})` : ''} could not be read: ${err.code}.`);
        }
        throw err;
      }
      if (s.eTag && s.eTag.replace(/"/g, '') !== head.eTag) {
        throw invalidRevision(`The eTag ${s.eTag} does not match the ETag ${head.eTag} of s3://${s.bucket}/${s.key}.`);
      }
      return r;
    }
    case 'GitHub': {
      const g = r.gitHubLocation;
      if (!g?.repository) throw cdError('InvalidGitHubAccountTokenException', 'The GitHub repository was not specified.');
      if (!g.commitId) throw cdError('InvalidRevisionException', 'The commit ID of the GitHub revision was not specified.');
      const name = g.repository.split('/').pop()!;
      const exists = await c.platform.commitExists(scope, name, g.commitId);
      if (exists === undefined) {
        throw invalidRevision(`codesuite resolves GitHub revisions against its own CodeCommit repositories, and there is no repository named ${name} in ${scope.region}.`);
      }
      if (!exists) throw invalidRevision(`The commit ${g.commitId} does not exist in the repository ${name}.`);
      return r;
    }
    case 'String': {
      const content = r.string?.content ?? '';
      return { revisionType: 'String', string: { content, sha256: sha256(content) } };
    }
    default: {
      const content = r.appSpecContent?.content ?? '';
      return { revisionType: r.revisionType, appSpecContent: { content, sha256: sha256(content) } };
    }
  }
}
