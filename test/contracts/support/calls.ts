import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ResolvedApp } from './resolver';
import { Decision } from './simulator';

/** The calls of `decideAll` that were not allowed, as `[label, decision]` (empty when all were). */
export function notAllowed(decisions: Record<string, Decision>): Array<[string, Decision]> {
  return Object.entries(decisions).filter(([, d]) => d !== 'Allowed');
}

/** The resolved ARN (or physical ID) of a construct's CloudFormation resource (its default child for an L2). */
export function arnOfConstruct(resolved: ResolvedApp, construct: IConstruct): string {
  const cfn = (construct instanceof CfnResource ? construct : construct.node.defaultChild) as CfnResource;
  const stack = Stack.of(cfn);
  return resolved.arnOf(resolved.stack(stack.stackName), stack.resolve(cfn.logicalId));
}

/** The resolved properties of a construct's CloudFormation resource, and its template entry. */
export function resourceOfConstruct(resolved: ResolvedApp, construct: IConstruct): { properties: any; template: any } {
  const cfn = (construct instanceof CfnResource ? construct : construct.node.defaultChild) as CfnResource;
  const stack = Stack.of(cfn);
  const template = resolved.stack(stack.stackName).template.Resources[stack.resolve(cfn.logicalId)];
  return { properties: resolved.resolve(resolved.stack(stack.stackName), template.Properties ?? {}), template };
}

/** Context of a call Parameter Store makes to KMS for one parameter. */
export function forParameter(region: string, parameterArn: string): Record<string, string> {
  return { 'kms:ViaService': `ssm.${region}.amazonaws.com`, 'kms:EncryptionContext:PARAMETER_ARN': parameterArn };
}

/** The Auto Scaling service-linked role of an account. */
export function autoScalingRole(account: string): string {
  return `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/** What the Auto Scaling service-linked role needs on a key, per the EC2 Auto Scaling User Guide. */
export const SLR_USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

/** What EC2 does with a key for a caller creating, attaching or copying an encrypted volume. */
export const EC2_USE = ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'];

/**
 * The role the Secrets Manager transform makes for a hosted rotation function (not in the template):
 * with `KmsKeyArn` given, it may use that key and rotate that secret.
 */
export function hostedRotationRole(account: string): string {
  return `arn:aws:iam::${account}:role/SecretsManagerRotationRole`;
}

export function hostedRotationPolicy(keyArn: string, secretArn: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecretVersionStage'], Resource: secretArn },
    ],
  };
}

/** The calls of `decideAll` that were allowed (empty when every call was denied). */
export function allowed(decisions: Record<string, Decision>): string[] {
  return Object.entries(decisions).filter(([, d]) => d === 'Allowed').map(([label]) => label);
}
