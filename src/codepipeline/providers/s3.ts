import { readZip } from '../../core/archives/zip.js';
import { failed, type ActionRun, type Provider } from './provider.js';

/**
 * S3 source: the object `S3ObjectKey` of a versioned bucket (a `S3_OBJECT_VERSION_ID` or
 * `S3_OBJECT_KEY` override chooses another), copied into the artifact store as it is.
 */
export function s3Source(): Provider {
  return {
    async run(r: ActionRun) {
      const config = r.action.input.resolvedConfiguration;
      const overrides = Object.values(r.execution.sourceOverrides).length ? r.execution.sourceOverrides : {};
      const override = overrides[r.action.action];
      const key = override?.revisionType === 'S3_OBJECT_KEY' ? override.revisionValue : config.S3ObjectKey;
      const versionId = override?.revisionType === 'S3_OBJECT_VERSION_ID' ? override.revisionValue : undefined;
      const object = await r.artifacts.get(r.caller, config.S3Bucket, key, versionId);
      const out = r.action.input.outputArtifacts[0];
      await r.artifacts.put(r.caller, out.bucket, out.key, object.body, { ContentType: 'application/zip' });
      const revisionId = object.versionId ?? object.etag ?? '';
      return {
        status: 'Succeeded',
        externalId: revisionId,
        outputVariables: { ...(object.etag ? { ETag: object.etag.replace(/"/g, '') } : {}), ...(object.versionId ? { VersionId: object.versionId } : {}) },
        revision: { revisionId },
      };
    },
  };
}

/** S3 deploy: the input artifact's files extracted under `ObjectKey` (`Extract` "true"), or the zip itself as `ObjectKey`. */
export function s3Deploy(): Provider {
  return {
    async run(r: ActionRun) {
      const config = r.action.input.resolvedConfiguration;
      const input = r.action.input.inputArtifacts[0];
      const artifact = await r.artifacts.get(r.caller, input.bucket, input.key);
      const extra = {
        ...(config.CannedACL ? { ACL: config.CannedACL } : {}),
        ...(config.CacheControl ? { CacheControl: config.CacheControl } : {}),
      };
      if (config.Extract !== 'true') {
        await r.artifacts.put(r.caller, config.BucketName, config.ObjectKey, artifact.body, extra);
        return { status: 'Succeeded', summary: `Deployed ${input.name} to s3://${config.BucketName}/${config.ObjectKey}` };
      }
      let entries;
      try {
        entries = await readZip(artifact.body);
      } catch (err) {
        return failed(`The input artifact ${input.name} is not a zip file: ${(err as Error).message}`);
      }
      const prefix = config.ObjectKey ? `${config.ObjectKey.replace(/\/$/, '')}/` : '';
      for (const entry of entries) {
        if (entry.name.endsWith('/')) continue;
        await r.artifacts.put(r.caller, config.BucketName, `${prefix}${entry.name}`, entry.data, extra);
      }
      return { status: 'Succeeded', summary: `Extracted ${entries.length} file(s) of ${input.name} to s3://${config.BucketName}/${prefix}` };
    },
  };
}
