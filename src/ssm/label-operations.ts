import type {
  LabelParameterVersionRequest,
  LabelParameterVersionResult,
  UnlabelParameterVersionRequest,
  UnlabelParameterVersionResult,
} from '@aws-sdk/client-ssm';
import { operation, type OperationSpec } from '../core/service.js';
import { parameterNotFound, parameterVersionLabelLimitExceeded, parameterVersionNotFound } from './errors.js';
import { parameterIam } from './iam.js';
import { isValidLabel, parseReference } from './names.js';
import type { ParameterRecord } from './parameter-store.js';
import type { Parameters, Scope } from './parameters.js';

const MAX_LABELS_PER_VERSION = 10;

export function labelOperations(params: Parameters): Record<string, OperationSpec> {
  /** Labels address a parameter by name (or ARN) without a selector. */
  function parameterNamed(scope: Scope, given: string): ParameterRecord {
    const ref = parseReference(given, scope);
    const parameter = ref.selector === undefined ? params.findRef(scope, ref) : undefined;
    if (!parameter) throw parameterNotFound(given);
    return parameter;
  }

  return {
    LabelParameterVersion: operation<LabelParameterVersionRequest, LabelParameterVersionResult>({
      iam: parameterIam(params, 'ssm:LabelParameterVersion', (i) => i.Name),
      handler: (input, ctx) => {
        const parameter = parameterNamed(ctx, input.Name!);
        const version = input.ParameterVersion ?? parameter.version;
        if (!params.store.version(parameter.id, version)) throw parameterVersionNotFound(version, parameter.name);
        const invalid = input.Labels!.filter((l) => !isValidLabel(l));
        const valid = [...new Set(input.Labels!.filter(isValidLabel))];
        const current = params.store.labels(parameter.id).get(version) ?? [];
        const added = valid.filter((l) => !current.includes(l));
        if (current.length + added.length > MAX_LABELS_PER_VERSION) throw parameterVersionLabelLimitExceeded();
        params.store.transaction(() => {
          for (const label of added) params.store.attachLabel(parameter.id, label, version);
        });
        return { InvalidLabels: invalid, ParameterVersion: version };
      },
    }),

    UnlabelParameterVersion: operation<UnlabelParameterVersionRequest, UnlabelParameterVersionResult>({
      iam: parameterIam(params, 'ssm:UnlabelParameterVersion', (i) => i.Name),
      handler: (input, ctx) => {
        const parameter = parameterNamed(ctx, input.Name!);
        const version = input.ParameterVersion!;
        if (!params.store.version(parameter.id, version)) throw parameterVersionNotFound(version, parameter.name);
        const current = params.store.labels(parameter.id).get(version) ?? [];
        const removed = [...new Set(input.Labels!.filter((l) => current.includes(l)))];
        const invalid = input.Labels!.filter((l) => !current.includes(l));
        params.store.transaction(() => {
          for (const label of removed) params.store.detachLabel(parameter.id, label);
        });
        return { RemovedLabels: removed, InvalidLabels: invalid };
      },
    }),
  };
}
