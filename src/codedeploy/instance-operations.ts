import type {
  AddTagsToOnPremisesInstancesInput,
  BatchGetOnPremisesInstancesInput,
  BatchGetOnPremisesInstancesOutput,
  DeregisterOnPremisesInstanceInput,
  GetOnPremisesInstanceInput,
  GetOnPremisesInstanceOutput,
  ListOnPremisesInstancesInput,
  ListOnPremisesInstancesOutput,
  RegisterOnPremisesInstanceInput,
  RemoveTagsFromOnPremisesInstancesInput,
  Tag,
} from '@aws-sdk/client-codedeploy';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { instanceArn } from './arns.js';
import { iam, scopeOf, type CodeDeployContext } from './context.js';
import { cdError, instanceNotRegistered } from './errors.js';
import { anyMatches } from './membership.js';
import { page } from './pagination.js';
import type { InstanceRecord, Scope } from './records.js';
import { instanceView } from './views.js';

const USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;
const SESSION_ARN = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/;
const MAX_TAGS = 10;

const instanceResource = (input: { instanceName?: string }, ctx: RequestContext) => instanceArn(scopeOf(ctx), input.instanceName ?? '*');

function requireNames(names: string[] | undefined): string[] {
  if (!names || names.length === 0) throw cdError('InstanceNameRequiredException', 'An on-premises instance name was not specified.');
  return names;
}

function requireTags(tags: Tag[] | undefined): Tag[] {
  if (!tags || tags.length === 0) throw cdError('TagRequiredException', 'A tag was not specified.');
  return tags;
}

function registered(c: CodeDeployContext, scope: Scope, name: string): InstanceRecord {
  const instance = c.store.instance(scope, name);
  if (!instance || instance.deregisterTime !== undefined) throw instanceNotRegistered(name);
  return instance;
}

export function instanceOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  return {
    RegisterOnPremisesInstance: operation<RegisterOnPremisesInstanceInput, Record<string, never>>({
      iam: iam('RegisterOnPremisesInstance', instanceResource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const { instanceName, iamUserArn, iamSessionArn } = input;
        if (iamUserArn && iamSessionArn) throw cdError('MultipleIamArnsProvidedException', 'Both an IAM user ARN and an IAM session ARN were included in the request. Use only one ARN type.');
        if (!iamUserArn && !iamSessionArn) throw cdError('IamArnRequiredException', 'No IAM ARN was included in the request. You must use an IAM session ARN or user ARN in the request.');
        if (iamUserArn && !USER_ARN.test(iamUserArn)) throw cdError('InvalidIamUserArnException', 'The IAM user ARN was specified in an invalid format.');
        if (iamSessionArn && !SESSION_ARN.test(iamSessionArn)) throw cdError('InvalidIamSessionArnException', 'The IAM session ARN was specified in an invalid format.');
        if (c.store.instance(scope, instanceName!)) throw cdError('InstanceNameAlreadyRegisteredException', 'The specified on-premises instance name is already registered.');
        const hostId = (iamUserArn ?? iamSessionArn)!;
        if (c.store.instanceByHost(hostId)) {
          throw iamUserArn
            ? cdError('IamUserArnAlreadyRegisteredException', 'The specified IAM user ARN is already registered with an on-premises instance.')
            : cdError('IamSessionArnAlreadyRegisteredException', 'The request included an IAM session ARN that has already been used to register a different instance.');
        }
        c.store.putInstance(scope, {
          instanceName: instanceName!,
          ...(iamUserArn ? { iamUserArn } : { iamSessionArn }),
          instanceArn: instanceArn(scope, instanceName!),
          registerTime: c.now(),
          tags: [],
        });
        return {};
      },
    }),

    DeregisterOnPremisesInstance: operation<DeregisterOnPremisesInstanceInput, Record<string, never>>({
      iam: iam('DeregisterOnPremisesInstance', instanceResource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const instance = c.store.instance(scope, input.instanceName!);
        if (!instance) throw instanceNotRegistered(input.instanceName!);
        if (instance.deregisterTime === undefined) c.store.putInstance(scope, { ...instance, deregisterTime: c.now() });
        return {};
      },
    }),

    AddTagsToOnPremisesInstances: operation<AddTagsToOnPremisesInstancesInput, Record<string, never>>({
      iam: iam('AddTagsToOnPremisesInstances', (input, ctx) => (input.instanceNames?.length === 1 ? instanceArn(scopeOf(ctx), input.instanceNames[0]) : '*')),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const tags = requireTags(input.tags);
        const instances = requireNames(input.instanceNames).map((n) => registered(c, scope, n));
        const updated = instances.map((i) => {
          const merged = [...i.tags.filter((t) => !tags.some((n) => n.Key === t.Key)), ...tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))];
          if (merged.length > MAX_TAGS) throw cdError('InstanceLimitExceededException', `The maximum number of tags (${MAX_TAGS}) for an on-premises instance was exceeded.`);
          return { ...i, tags: merged };
        });
        c.store.transaction(() => updated.forEach((i) => c.store.putInstance(scope, i)));
        return {};
      },
    }),

    RemoveTagsFromOnPremisesInstances: operation<RemoveTagsFromOnPremisesInstancesInput, Record<string, never>>({
      iam: iam('RemoveTagsFromOnPremisesInstances', (input, ctx) => (input.instanceNames?.length === 1 ? instanceArn(scopeOf(ctx), input.instanceNames[0]) : '*')),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const tags = requireTags(input.tags);
        const instances = requireNames(input.instanceNames).map((n) => registered(c, scope, n));
        const gone = (t: Tag) => tags.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === t.Value));
        c.store.transaction(() => instances.forEach((i) => c.store.putInstance(scope, { ...i, tags: i.tags.filter((t) => !gone(t)) })));
        return {};
      },
    }),

    GetOnPremisesInstance: operation<GetOnPremisesInstanceInput, GetOnPremisesInstanceOutput>({
      iam: iam('GetOnPremisesInstance', instanceResource),
      handler: (input, ctx) => {
        const instance = c.store.instance(scopeOf(ctx), input.instanceName!);
        if (!instance) throw instanceNotRegistered(input.instanceName!);
        return { instanceInfo: instanceView(instance) };
      },
    }),

    BatchGetOnPremisesInstances: operation<BatchGetOnPremisesInstancesInput, BatchGetOnPremisesInstancesOutput>({
      iam: iam('BatchGetOnPremisesInstances'),
      handler: (input, ctx) => {
        const names = requireNames(input.instanceNames);
        if (names.length > 100) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
        const scope = scopeOf(ctx);
        return { instanceInfos: names.flatMap((n) => c.store.instance(scope, n) ?? []).map(instanceView) };
      },
    }),

    ListOnPremisesInstances: operation<ListOnPremisesInstancesInput, ListOnPremisesInstancesOutput>({
      iam: iam('ListOnPremisesInstances'),
      handler: (input, ctx) => {
        const status = input.registrationStatus;
        const filters = input.tagFilters ?? [];
        const names = c.store
          .instances(scopeOf(ctx))
          .filter((i) => !status || (status === 'Registered') === (i.deregisterTime === undefined))
          .filter((i) => filters.length === 0 || anyMatches(i.tags, filters))
          .map((i) => i.instanceName);
        const { items, nextToken } = page(names, input.nextToken);
        return { instanceNames: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),
  };
}
