import { cdError } from './errors.js';

export const deploymentLimitExceeded = (group: string, active: string) =>
  cdError('DeploymentLimitExceededException', `The Deployment Group '${group}' already has an active Deployment '${active}'`);
export const deploymentAlreadyCompleted = (id: string) => cdError('DeploymentAlreadyCompletedException', `Deployment ${id} has already completed.`);
