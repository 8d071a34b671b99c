import type { Build, EnvironmentVariable, StartBuildInput } from '@aws-sdk/client-codebuild';
import type { ArtifactRef } from '../store.js';
import { failed, type ActionRun, type Provider } from './provider.js';

/** How often a running build is looked at when no state-change event arrives first. */
const POLL_MS = 3000;

const location = (a: ArtifactRef) => `${a.bucket}/${a.key}`;

function environment(json: string | undefined): EnvironmentVariable[] {
  if (!json) return [];
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) throw new Error('EnvironmentVariables must be a JSON array');
  return parsed.map((v: { name?: string; value?: string; type?: string }) => ({ name: v.name, value: v.value, type: (v.type ?? 'PLAINTEXT') as EnvironmentVariable['type'] }));
}

/**
 * CodeBuild build and test actions: StartBuild as the pipeline's role with the input artifacts as
 * CODEPIPELINE sources (the primary one by `PrimarySource`, the others secondary, named by their
 * artifact names) and the outputs as CODEPIPELINE artifacts, then the build's result. Exported
 * variables become the action's output variables.
 */
export function codeBuildAction(): Provider {
  return {
    async run(r: ActionRun) {
      const config = r.action.input.resolvedConfiguration;
      const as = { caller: r.caller, region: r.action.input.region };
      let buildId = r.action.state?.buildId as string | undefined;
      if (!buildId) {
        let env: EnvironmentVariable[];
        try {
          env = environment(config.EnvironmentVariables);
        } catch (err) {
          return failed(`The EnvironmentVariables configuration is not valid: ${(err as Error).message}`, 'ConfigurationError');
        }
        const inputs = r.action.input.inputArtifacts;
        const primary = inputs.find((i) => i.name === config.PrimarySource) ?? inputs[0];
        const outputs = r.action.input.outputArtifacts;
        const start: StartBuildInput = {
          projectName: config.ProjectName,
          sourceTypeOverride: 'CODEPIPELINE',
          sourceLocationOverride: location(primary),
          ...(inputs.length > 1
            ? { secondarySourcesOverride: inputs.filter((i) => i !== primary).map((i) => ({ type: 'S3', location: location(i), sourceIdentifier: i.name })) }
            : {}),
          artifactsOverride: outputs.length === 1 ? { type: 'CODEPIPELINE', location: location(outputs[0]) } : { type: 'NO_ARTIFACTS' },
          ...(outputs.length > 1
            ? { secondaryArtifactsOverride: outputs.map((o) => ({ type: 'S3', location: o.bucket, path: o.key.split('/').slice(0, -1).join('/'), name: o.key.split('/').pop(), packaging: 'ZIP', artifactIdentifier: o.name })) }
            : {}),
          ...(env.length ? { environmentVariablesOverride: env } : {}),
        };
        const started = await r.deps.internal.call<{ build: Build }>('codebuild', 'StartBuild', start, as);
        buildId = started.build.id!;
        r.save({ buildId });
        return { status: 'InProgress', checkAt: r.now() + POLL_MS, externalId: buildId };
      }
      const { builds } = await r.deps.internal.call<{ builds?: Build[] }>('codebuild', 'BatchGetBuilds', { ids: [buildId] }, as);
      const build = builds?.[0];
      if (!build) return failed(`Build ${buildId} no longer exists.`, 'JobFailed', buildId);
      if (build.buildStatus === 'IN_PROGRESS') return { status: 'InProgress', checkAt: r.now() + POLL_MS, externalId: buildId };
      if (build.buildStatus !== 'SUCCEEDED') return failed(`Build terminated with state: ${build.buildStatus}`, 'JobFailed', buildId);
      const exported = Object.fromEntries((build.exportedEnvironmentVariables ?? []).map((v) => [v.name!, v.value ?? '']));
      return { status: 'Succeeded', externalId: buildId, ...(Object.keys(exported).length ? { outputVariables: exported } : {}) };
    },
  };
}
