import type { ActionDeclaration, PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import { awsActionType, type ActionTypeSpec } from './action-types.js';
import { invalidAction, invalidBlocker, invalidStage, invalidStructure, validation } from './errors.js';

/** AWS writes the Region in this message as an enum constant: `US_EAST_1`. */
const regionConstant = (region: string) => region.toUpperCase().replace(/-/g, '_');

export const isSourceAction = (a: ActionDeclaration) => a.actionTypeId?.category === 'Source';

/**
 * Everything CreatePipeline and UpdatePipeline check in a structure beyond the model's shape
 * constraints, in the order AWS reports them, with AWS's exception types and, where known, texts.
 * `customType` finds a custom action type the account created.
 */
export function checkStructure(decl: PipelineDeclaration, region: string, customType: (t: ActionDeclaration['actionTypeId']) => ActionTypeSpec | undefined): void {
  const stages = decl.stages ?? [];
  const v2 = decl.pipelineType === 'V2';
  if (!decl.artifactStore && !decl.artifactStores) throw invalidStructure('Pipeline must have an artifactStore or artifactStores.');
  if (decl.artifactStore && decl.artifactStores) throw invalidStructure('Pipeline cannot have both artifactStore and artifactStores.');
  if (decl.artifactStores && !decl.artifactStores[region]) throw invalidStructure(`Pipeline must have an artifact store in the pipeline's Region ${region}.`);
  if (!v2) {
    if (decl.executionMode && decl.executionMode !== 'SUPERSEDED') {
      throw validation(`Execution mode ${decl.executionMode} is only supported for pipelines of type V2.`);
    }
    if (decl.variables?.length) throw validation('Pipeline variables are only supported for pipelines of type V2.');
    if (decl.triggers?.length) throw validation('Triggers are only supported for pipelines of type V2.');
  }
  if (stages.length < 2) throw invalidStructure(`Pipeline has only ${stages.length} stage(s). There should be a minimum of 2 stages in a pipeline`);
  if (stages.length > 50) throw invalidStructure(`Pipeline has ${stages.length} stages. There can be a maximum of 50 stages in a pipeline`);

  const stageNames = new Set<string>();
  for (const stage of stages) {
    if (stageNames.has(stage.name!)) throw invalidStage(`Stage names must be unique within a pipeline. ${stage.name} has been used more than once.`);
    stageNames.add(stage.name!);
    if (stage.blockers?.length) throw invalidBlocker(`Stage ${stage.name} declares blockers, which are reserved and cannot be used.`);
    if (!stage.actions?.length) throw invalidStage(`Stage ${stage.name} must contain at least one action.`);
    if (!v2 && (stage.onFailure || stage.onSuccess || stage.beforeEntry)) throw validation('Stage conditions are only supported for pipelines of type V2.');
    const actionNames = new Set<string>();
    for (const action of stage.actions) {
      if (actionNames.has(action.name!)) throw invalidAction(`Action names must be unique within a stage. ${action.name} has been used more than once in stage ${stage.name}.`);
      actionNames.add(action.name!);
    }
  }
  if (stages.reduce((n, s) => n + (s.actions?.length ?? 0), 0) > 500) throw invalidStructure('Pipeline has more than 500 actions.');

  const [first, ...rest] = stages;
  if (!first.actions!.every(isSourceAction)) {
    throw invalidStructure(`Stage ${first.name} must contain only source actions: the first stage of a pipeline holds its source actions.`);
  }
  for (const stage of rest) {
    const source = stage.actions!.find(isSourceAction);
    if (source) throw invalidStructure(`Action ${source.name} in stage ${stage.name} is a source action. Source actions can only be in the first stage of a pipeline.`);
  }

  const outputs = new Map<string, string>();
  const namespaces = new Map<string, { stage: string; action: string }[]>();
  for (const stage of stages) {
    for (const action of stage.actions!) {
      const type = action.actionTypeId!;
      const known = type.owner === 'Custom' ? customType(type) : type.owner === 'AWS' ? awsActionType(type) : undefined;
      if (!known) {
        throw invalidAction(
          `ActionType (Category: '${type.category}', Provider: '${type.provider}', Owner: '${type.owner}', Version: '${type.version}') in action '${action.name}' is not available in region '${regionConstant(region)}'`,
        );
      }
      checkAction(action, known, type.owner === 'Custom' || isSourceAction(action));
      for (const out of action.outputArtifacts ?? []) {
        if (outputs.has(out.name!)) throw invalidAction(`Output Artifact Bundle name must be unique within the pipeline. ${out.name} has been used more than once.`);
        outputs.set(out.name!, action.name!);
      }
      if (action.namespace) {
        const seen = namespaces.get(action.namespace) ?? [];
        seen.push({ stage: stage.name!, action: action.name! });
        namespaces.set(action.namespace, seen);
      }
    }
  }
  for (const [namespace, uses] of namespaces) {
    if (uses.length > 1) {
      throw invalidAction(
        `Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. ${uses.map((u) => `StageName=[${u.stage}], ActionName=[${u.action}], Namespace=[${namespace}]`).join(', ')}`,
      );
    }
    if (namespace === 'codepipeline' || namespace === 'variables') throw invalidAction(`Namespace ${namespace} is reserved and cannot be used by action ${uses[0].action}.`);
    if (outputs.has(namespace)) throw invalidAction(`Namespace ${namespace} of action ${uses[0].action} must not be the same as an artifact name.`);
  }
  checkArtifactFlow(decl);
}

function checkAction(action: ActionDeclaration, known: ActionTypeSpec, noRegion: boolean): void {
  const name = action.name!;
  const inputs = action.inputArtifacts?.length ?? 0;
  const outputs = action.outputArtifacts?.length ?? 0;
  if (inputs < known.inputs[0]) throw invalidAction(`Action ${name} declares ${inputs} input artifacts which is less than the minimum count (${known.inputs[0]})`);
  if (inputs > known.inputs[1]) throw invalidAction(`Action ${name} declares ${inputs} input artifacts which is greater than the maximum count (${known.inputs[1]})`);
  if (outputs < known.outputs[0]) throw invalidAction(`Action ${name} declares ${outputs} output artifacts which is less than the minimum count (${known.outputs[0]})`);
  if (outputs > known.outputs[1]) throw invalidAction(`Action ${name} declares ${outputs} output artifacts which is greater than the maximum count (${known.outputs[1]})`);
  const compute = known.category === 'Compute';
  if (compute && !action.commands?.length) throw invalidAction(`Action ${name} must have a non-empty commands field`);
  if (!compute && action.commands) throw invalidAction(`The following action cannot contain a commands field: ${name}. To use the commands field, use a compute action.`);
  if (!compute && (action.outputVariables || action.environmentVariables)) {
    throw invalidAction(`Action ${name} cannot declare outputVariables or environmentVariables: only compute actions can.`);
  }
  if (!compute && action.outputArtifacts?.some((o) => o.files)) throw invalidAction(`Action ${name} cannot declare files on its output artifacts: only compute actions can.`);
  if (noRegion && action.region) throw invalidAction(`Action ${name} cannot declare a region: source, third-party and custom actions run in the pipeline's Region.`);
  const config = action.configuration ?? {};
  for (const key of known.required) {
    if (config[key] === undefined) throw invalidAction(`Action configuration for action '${name}' is missing required configuration '${key}'`);
  }
  for (const key of Object.keys(config)) {
    if (!known.required.includes(key) && !known.optional.includes(key)) throw invalidAction(`Action configuration for action '${name}' contains unknown configuration '${key}'`);
  }
  if (known.provider === 'S3' && known.category === 'Deploy' && config.Extract === 'false' && !config.ObjectKey) {
    throw invalidAction(`Action configuration for action '${name}' is missing required configuration 'ObjectKey'`);
  }
  if (known.provider === 'CodeBuild' && inputs > 1 && !config.PrimarySource) {
    throw invalidAction(`Action configuration for action '${name}' is missing required configuration 'PrimarySource'`);
  }
  if (config.OutputArtifactFormat && !['CODE_ZIP', 'CODEBUILD_CLONE_REF'].includes(config.OutputArtifactFormat)) {
    throw invalidAction(`Action configuration for action '${name}' has an invalid value for 'OutputArtifactFormat': ${config.OutputArtifactFormat}`);
  }
}

/** Every input artifact is the output of an action that finishes before: an earlier stage, or a lower runOrder in the same stage. */
function checkArtifactFlow(decl: PipelineDeclaration): void {
  const before = new Set<string>();
  for (const stage of decl.stages!) {
    const orders = [...new Set(stage.actions!.map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
    for (const order of orders) {
      const group = stage.actions!.filter((a) => (a.runOrder ?? 1) === order);
      for (const action of group) {
        for (const input of action.inputArtifacts ?? []) {
          if (!before.has(input.name!)) {
            throw invalidAction(`Input Artifact Bundle ${input.name} in action '${action.name}' is not declared as an output artifact of any preceding action.`);
          }
        }
      }
      for (const action of group) for (const out of action.outputArtifacts ?? []) before.add(out.name!);
    }
  }
}
