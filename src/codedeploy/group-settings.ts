import type { TagFilter, TriggerConfig } from '@aws-sdk/client-codedeploy';
import { findConfig } from './configs.js';
import type { CodeDeployContext } from './context.js';
import { cdError, configNotFound, invalidRole, invalidTagFilter } from './errors.js';
import type { GroupSettings, Scope } from './records.js';

const MAX_TAG_SET_LISTS = 3;
const MAX_TRIGGERS = 10;
const MAX_ALARMS = 10;
const SNS_TOPIC = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

function checkFilters(filters: TagFilter[] | undefined): void {
  for (const f of filters ?? []) {
    const type = f.Type;
    if ((type === 'KEY_ONLY' && !f.Key) || (type === 'VALUE_ONLY' && !f.Value) || (type === 'KEY_AND_VALUE' && (!f.Key || !f.Value)) || (!type && !f.Key && !f.Value)) {
      throw invalidTagFilter('The tag was specified in an invalid format.');
    }
  }
}

function checkTriggers(triggers: TriggerConfig[] | undefined): void {
  if (!triggers) return;
  if (triggers.length > MAX_TRIGGERS) throw cdError('TriggerTargetsLimitExceededException', `The maximum allowed number of triggers (${MAX_TRIGGERS}) was exceeded.`);
  const names = new Set<string>();
  for (const t of triggers) {
    if (!t.triggerName || !t.triggerTargetArn || !SNS_TOPIC.test(t.triggerTargetArn)) {
      throw cdError('InvalidTriggerConfigException', 'The trigger was specified in an invalid format.');
    }
    if (names.has(t.triggerName)) throw cdError('InvalidTriggerConfigException', `The trigger name ${t.triggerName} is used by more than one trigger.`);
    names.add(t.triggerName);
  }
}

/**
 * The checks CreateDeploymentGroup and UpdateDeploymentGroup make of a group's settings: the
 * configuration exists, the service role exists in IAM, tag filters are well formed and a flat
 * list and a tag set of the same kind are not both given, triggers and alarms within limits.
 */
export function checkSettings(c: CodeDeployContext, scope: Scope, s: GroupSettings): void {
  if (s.deploymentConfigName && !findConfig(c.store, scope, s.deploymentConfigName)) throw configNotFound(s.deploymentConfigName);
  if (s.serviceRoleArn !== undefined && !c.platform.roleExists(s.serviceRoleArn)) {
    throw invalidRole(`AWS CodeDeploy does not have the permissions required to assume the role ${s.serviceRoleArn}.`);
  }
  if (s.onPremisesInstanceTagFilters?.length && s.onPremisesTagSet?.onPremisesTagSetList?.length) {
    throw cdError('InvalidOnPremisesTagCombinationException', 'A call was submitted that specified both OnPremisesTagFilters and OnPremisesTagSet, but only one of these data types can be used in a single call.');
  }
  if (s.ec2TagFilters?.length && s.ec2TagSet?.ec2TagSetList?.length) {
    throw cdError('InvalidEC2TagCombinationException', 'A call was submitted that specified both Ec2TagFilters and Ec2TagSet, but only one of these data types can be used in a single call.');
  }
  const onPremLists = s.onPremisesTagSet?.onPremisesTagSetList ?? [];
  const ec2Lists = s.ec2TagSet?.ec2TagSetList ?? [];
  if (onPremLists.length > MAX_TAG_SET_LISTS || ec2Lists.length > MAX_TAG_SET_LISTS) {
    throw cdError('TagSetListLimitExceededException', `The number of tag groups included in the tag set list exceeded the maximum allowed limit of ${MAX_TAG_SET_LISTS}.`);
  }
  checkFilters(s.onPremisesInstanceTagFilters);
  checkFilters(s.ec2TagFilters as TagFilter[] | undefined);
  onPremLists.forEach(checkFilters);
  ec2Lists.forEach((l) => checkFilters(l as TagFilter[]));
  checkTriggers(s.triggerConfigurations);
  const alarms = s.alarmConfiguration?.alarms ?? [];
  if (alarms.length > MAX_ALARMS) throw cdError('AlarmsLimitExceededException', `The maximum number of alarms for a deployment group (${MAX_ALARMS}) was exceeded.`);
  if (s.alarmConfiguration?.enabled && alarms.length === 0) throw cdError('InvalidAlarmConfigException', 'The format of the alarm configuration is invalid. Possible causes include an enabled alarm configuration without any alarms.');
  const rollback = s.autoRollbackConfiguration;
  if (rollback?.enabled && !(rollback.events ?? []).length) {
    throw cdError('InvalidAutoRollbackConfigException', 'The automatic rollback configuration was specified in an invalid format. For example, automatic rollback is enabled, but an invalid triggering event type or no event types were listed.');
  }
  if (s.deploymentStyle?.deploymentType === 'BLUE_GREEN' && (s.onPremisesInstanceTagFilters?.length || onPremLists.length)) {
    throw cdError('InvalidDeploymentStyleException', 'An invalid deployment style was specified. Blue/green deployments are not supported for on-premises instances.');
  }
}
