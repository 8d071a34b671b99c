import type { ParameterTier as RequestedTier } from '@aws-sdk/client-ssm';
import { validation } from './errors.js';
import type { ParameterTier } from './parameter-store.js';

const STANDARD_MAX_VALUE = 4096;
const ADVANCED_MAX_VALUE = 8192;

/**
 * The tier a version is stored in. Intelligent-Tiering picks Advanced only when the value or the
 * policies need it; a parameter never moves down from Advanced to Standard.
 */
export function chooseTier(requested: RequestedTier | undefined, previous: ParameterTier | undefined, valueLength: number, hasPolicies: boolean): ParameterTier {
  let tier: ParameterTier;
  if (requested === 'Intelligent-Tiering') {
    tier = previous === 'Advanced' || valueLength > STANDARD_MAX_VALUE || hasPolicies ? 'Advanced' : 'Standard';
  } else {
    tier = requested ?? previous ?? 'Standard';
  }
  if (tier === 'Standard' && previous === 'Advanced') {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  if (tier === 'Standard' && valueLength > STANDARD_MAX_VALUE) {
    throw validation(
      `Standard tier parameters support a maximum parameter value of ${STANDARD_MAX_VALUE} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`,
    );
  }
  if (tier === 'Advanced' && valueLength > ADVANCED_MAX_VALUE) {
    throw validation(`Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX_VALUE} characters.`);
  }
  if (tier === 'Standard' && hasPolicies) {
    throw validation("Standard tier parameters don't support parameter policies. To add policies, use the advanced-parameter tier or Intelligent-Tiering.");
  }
  return tier;
}

/** How many parameters of each tier one account may hold in a Region. */
export const TIER_LIMITS: Record<ParameterTier, number> = { Standard: 10_000, Advanced: 100_000 };
