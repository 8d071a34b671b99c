import type { ParameterInlinePolicy } from '@aws-sdk/client-ssm';
import { incompatiblePolicy, invalidPolicyAttribute, invalidPolicyType, policiesLimitExceeded } from './errors.js';

const TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];
const MAX_POLICIES = 10;

interface Policy {
  Type: string;
  Version?: string;
  Attributes?: Record<string, unknown>;
}

/** The parsed policies of a version, with the moment its Expiration policy deletes it (if any). */
export interface ParsedPolicies {
  text: string;
  expiresAt: number | null;
}

const badAttribute = (message: string) => invalidPolicyAttribute(message);

/** Checks a Policies document (a JSON array of {Type, Version, Attributes}) the way Parameter Store does. */
export function parsePolicies(text: string): ParsedPolicies {
  let policies: unknown;
  try {
    policies = JSON.parse(text);
  } catch {
    throw badAttribute('A policy attribute or its value is invalid.');
  }
  if (!Array.isArray(policies) || policies.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))) {
    throw badAttribute('A policy attribute or its value is invalid.');
  }
  if (policies.length > MAX_POLICIES) throw policiesLimitExceeded();
  const seen = new Set<string>();
  let expiresAt: number | null = null;
  for (const policy of policies as Policy[]) {
    if (typeof policy.Type !== 'string' || !TYPES.includes(policy.Type)) throw invalidPolicyType(String(policy.Type));
    if (seen.has(policy.Type)) throw incompatiblePolicy();
    seen.add(policy.Type);
    const attributes = policy.Attributes ?? {};
    if (policy.Type === 'Expiration') {
      const at = typeof attributes.Timestamp === 'string' ? Date.parse(attributes.Timestamp) : NaN;
      if (Number.isNaN(at)) throw badAttribute('The Timestamp attribute of an Expiration policy must be an ISO 8601 date and time.');
      expiresAt = at;
    } else {
      const amount = policy.Type === 'ExpirationNotification' ? attributes.Before : attributes.After;
      const unit = attributes.Unit;
      if (!/^[1-9][0-9]*$/.test(String(amount)) || (unit !== 'Days' && unit !== 'Hours')) {
        throw badAttribute(`The ${policy.Type} policy needs a positive whole number of Days or Hours.`);
      }
    }
  }
  return { text, expiresAt };
}

/** Policies as DescribeParameters and GetParameterHistory show them. */
export function describePolicies(text: string | null): ParameterInlinePolicy[] | undefined {
  if (!text) return undefined;
  return (JSON.parse(text) as Policy[]).map((p) => ({ PolicyText: JSON.stringify(p), PolicyType: p.Type, PolicyStatus: 'Pending' }));
}
