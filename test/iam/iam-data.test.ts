import { describe, it, expect } from 'vitest';
import { actionConditionKeys, actionExists } from '../../src/iam/policy/index.js';

describe('AWS action catalogue', () => {
  it('knows real actions in any case', async () => {
    expect(await actionExists('codecommit:GitPush')).toBe(true);
    expect(await actionExists('CODEBUILD:startbuild')).toBe(true);
  });

  it('rejects unknown actions and services', async () => {
    expect(await actionExists('codecommit:GitShove')).toBe(false);
    expect(await actionExists('nosuchservice:Anything')).toBe(false);
    expect(await actionExists('GitPush')).toBe(false);
  });

  it('lists the condition keys an action supports', async () => {
    expect(await actionConditionKeys('codecommit:GitPush')).toEqual(expect.arrayContaining(['codecommit:References', 'aws:ResourceTag/${TagKey}']));
    expect(await actionConditionKeys('codecommit:GitPull')).not.toContain('codecommit:References');
    expect(await actionConditionKeys('codecommit:GitShove')).toBeUndefined();
  });
});
