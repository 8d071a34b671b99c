import { AwsError } from '../core/errors.js';

/** CodeDeploy's named exceptions (all 400s), with AWS's texts where they are known. */
export const cdError = (code: string, message: string) => new AwsError(code, message, 400);

export const applicationNotFound = (name: string) => cdError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
export const groupNotFound = (name: string) => cdError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
export const configNotFound = (name: string) => cdError('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
export const deploymentNotFound = (id: string) => cdError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
export const instanceNotRegistered = (name: string) => cdError('InstanceNotRegisteredException', `The on-premises instance ${name} is not registered.`);
export const invalidDeploymentId = (id: string) => cdError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${id}`);
export const invalidNextToken = () => cdError('InvalidNextTokenException', 'The next token was specified in an invalid format.');
export const invalidTagFilter = (message: string) => cdError('InvalidTagException', message);
export const invalidRevision = (message: string) => cdError('InvalidRevisionException', message);
export const invalidRole = (message: string) => cdError('InvalidRoleException', message);
