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
