import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * AWS managed KMS keys: created by a service in each account and Region, their key policies
 * cannot be changed, so they cannot be limited, shared across accounts or used for log delivery.
 */

/** Whether a key identifier (alias name, alias ARN) names an AWS managed key (`alias/aws/...`). */
export function isAwsManagedKeyAlias(keyId: string): boolean {
  return /(^|:)alias\/aws\//.test(keyId) || /^aws\//.test(keyId);
}

/** The AWS managed key a service uses when no customer managed key is given. */
export const AWS_MANAGED_KEY_ALIASES = {
  s3: 'alias/aws/s3',
  rds: 'alias/aws/rds',
  secretsManager: 'alias/aws/secretsmanager',
  ebs: 'alias/aws/ebs',
  ssm: 'alias/aws/ssm',
  dynamodb: 'alias/aws/dynamodb',
  efs: 'alias/aws/elasticfilesystem',
} as const;

/**
 * Whether a key reference names an AWS managed key (`kms.Alias.fromAliasName(..., 'alias/aws/s3')`,
 * or a key ARN/ID given as such an alias). A token is given the benefit of the doubt.
 */
export function isAwsManagedKey(key: kms.IKey): boolean {
  const names = [key.keyArn, key.keyId, (key as { aliasName?: string }).aliasName];
  return names.some(n => typeof n === 'string' && !Token.isUnresolved(n) && isAwsManagedKeyAlias(n));
}
