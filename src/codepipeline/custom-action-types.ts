import type { ActionTypeId, CreateCustomActionTypeInput } from '@aws-sdk/client-codepipeline';
import type { Scope } from './arns.js';
import type { ActionTypeSpec } from './action-types.js';
import type { PipelineContext } from './context.js';

/** A custom action type the account created (and did not delete), as the structure check needs it. */
export function customActionType(c: PipelineContext, s: Scope, t: ActionTypeId | undefined): ActionTypeSpec | undefined {
  if (!t) return undefined;
  const row = c.deps.db
    .prepare('SELECT definition FROM codepipeline_custom_action_types WHERE account_id = ? AND region = ? AND category = ? AND provider = ? AND version = ? AND deleted = 0')
    .get(s.accountId, s.region, t.category, t.provider, t.version) as { definition: string } | undefined;
  if (!row) return undefined;
  const d = JSON.parse(row.definition) as CreateCustomActionTypeInput;
  const props = d.configurationProperties ?? [];
  return {
    category: d.category!,
    owner: 'Custom',
    provider: d.provider!,
    version: d.version!,
    inputs: [d.inputArtifactDetails!.minimumCount!, d.inputArtifactDetails!.maximumCount!],
    outputs: [d.outputArtifactDetails!.minimumCount!, d.outputArtifactDetails!.maximumCount!],
    required: props.filter((p) => p.required).map((p) => p.name!),
    optional: props.filter((p) => !p.required).map((p) => p.name!),
    secret: props.filter((p) => p.secret).map((p) => p.name!),
  };
}
