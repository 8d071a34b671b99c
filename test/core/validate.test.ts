import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/core/models/model.js';
import { SerializationError, validateInput, violationMessage } from '../../src/core/models/validate.js';

const model = loadModel('codecommit');

describe('model validation', () => {
  it('reports missing members, lengths, patterns and enums in AWS’s words', () => {
    const violations = validateInput(model, 'ListRepositoriesInput', { sortBy: 'size', order: 'up' });
    expect(violationMessage(violations)).toBe(
      "2 validation errors detected: Value 'size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [repositoryName, lastModifiedDate]; " +
        "Value 'up' at 'order' failed to satisfy constraint: Member must satisfy enum value set: [ascending, descending]",
    );
    const missing = validateInput(model, 'GetRepositoryInput', {});
    expect(violationMessage(missing)).toBe("1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null");
    const pattern = validateInput(model, 'GetRepositoryInput', { repositoryName: 'a b' });
    expect(pattern[0].text).toBe("Value 'a b' at 'repositoryName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\.-]+");
    const long = validateInput(model, 'GetRepositoryInput', { repositoryName: 'x'.repeat(101) });
    expect(long[0]).toMatchObject({ constraint: 'max', member: 'repositoryName' });
    expect(long[0].text).toContain('Member must have length less than or equal to 100');
  });

  it('reads JSON null as an absent member, and refuses it inside a list or map', () => {
    const input: Record<string, unknown> = { repositoryName: 'r', nextToken: null };
    expect(validateInput(loadModel('codecommit'), 'ListBranchesInput', input)).toEqual([]);
    expect('nextToken' in input).toBe(false);
    const list = validateInput(model, 'BatchGetRepositoriesInput', { repositoryNames: ['ok', null] });
    expect(violationMessage(list)).toBe("1 validation error detected: Value null at 'repositoryNames.2.member' failed to satisfy constraint: Member must not be null");
    const map = validateInput(model, 'TagResourceInput', { resourceArn: 'arn', tags: { k: null } });
    expect(map).toMatchObject([{ path: 'tags.k.member', constraint: 'required' }]);
  });

  it('drops members the model does not have, __proto__ included, as AWS ignores them', () => {
    const input = JSON.parse('{"repositoryName":"r","unknown":1,"__proto__":{"repositoryName":"x"},"constructor":{}}');
    expect(validateInput(model, 'GetRepositoryInput', input)).toEqual([]);
    expect(Object.keys(input)).toEqual(['repositoryName']);
    const tags = JSON.parse('{"resourceArn":"arn","tags":{"__proto__":"v"}}');
    validateInput(model, 'TagResourceInput', tags);
    expect(Object.keys(tags.tags)).toEqual(['__proto__']);
  });

  it('walks into lists and maps with AWS’s member paths', () => {
    const violations = validateInput(model, 'BatchGetRepositoriesInput', { repositoryNames: ['ok', 'not ok'] });
    expect(violations).toHaveLength(1);
    expect(violations[0].path).toBe('repositoryNames.2.member');
    const tags = validateInput(model, 'TagResourceInput', { resourceArn: 'arn', tags: { ['k'.repeat(129)]: 'v' } });
    expect(tags[0].text).toContain('Member must have length less than or equal to 128');
  });

  it('treats a wrongly typed value as a serialization failure', () => {
    expect(() => validateInput(model, 'GetRepositoryInput', { repositoryName: 7 })).toThrow(SerializationError);
    expect(() => validateInput(model, 'BatchGetRepositoriesInput', { repositoryNames: 'one' })).toThrow(SerializationError);
  });
});
