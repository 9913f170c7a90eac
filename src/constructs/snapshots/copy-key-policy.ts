import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { digest } from '../kms/key-grants';
import { USE_ACTIONS } from '../kms/key-policy';
import { executionRoleOf } from '../kms/key-principals';

/** What EC2 does with the copy's key for the handler's CopySnapshot (besides CreateGrant). */
export const EC2_COPY_KEY_USE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/**
 * Whoever copies to or restores from the key uses it through the snapshot's service: RDS and EBS
 * create grants on the caller's behalf and need the caller to be allowed `kms:CreateGrant`.
 */
export function allowUseThrough(
  key: kms.IKey, stack: Stack, service: string, principal: iam.IPrincipal, sid: string, useActions: string[] = [...USE_ACTIONS, 'kms:Decrypt'],
): void {
  const conditions: { [key: string]: string } = { 'kms:ViaService': `${service}.${stack.region}.amazonaws.com` };
  if (principal instanceof iam.AccountRootPrincipal) {
    conditions['kms:CallerAccount'] = stack.account;
  }
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `${sid}Use`, principals: [principal], actions: useActions, resources: ['*'], conditions: { StringEquals: conditions },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `${sid}Grants`,
    principals: [principal],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { StringEquals: conditions, Bool: { 'kms:GrantIsForAWSResource': true } },
  }));
}

/**
 * Lets the role that deploys `stack` restore from copies under a key you pass (a
 * `DatabaseInstanceFromSnapshot`, `DatabaseClusterFromSnapshot` or `ec2.Volume` of the copy): RDS and
 * EC2 create a grant on that role's behalf, so the key must let it in through the service. Only that
 * role, no other principal of the account; nothing when the stack's synthesizer names no deploying role.
 */
export function allowRestoreByDeployer(key: kms.IKey, stack: Stack, service: string): void {
  const role = executionRoleOf(stack);
  if (role === undefined) {
    return;
  }
  // One statement per deploying stack (copies of several stacks may share the key).
  const suffix = digest(stack.node.path);
  allowUseThrough(key, stack, service, new iam.ArnPrincipal(role),
    `AllowRestoreThrough${service === 'ec2' ? 'Ec2' : 'Rds'}By${suffix}`);
}
