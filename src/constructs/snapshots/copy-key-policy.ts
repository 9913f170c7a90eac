import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { digest } from '../kms/key-grants';
import { USE_ACTIONS } from '../kms/key-policy';
import { deployingStackOf, executionRoleOf } from '../kms/key-principals';

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
 * role, no other principal of the account. When the stack's synthesizer names no deploying role (CLI
 * credentials deploy it), nothing is added and a warning says who must be let in.
 */
export function allowRestoreByDeployer(copy: IConstruct, key: kms.IKey, stack: Stack, service: string): void {
  const role = executionRoleOf(stack);
  if (role === undefined) {
    Annotations.of(copy).addWarningV2('cdk-encryption-guard:NoDeployingRoleForRestore', `The stack's ${deployingStackOf(stack).synthesizer.constructor.name} `
      + `names no deploying role, so the key's policy does not let whoever deploys it restore from this copy (${service === 'ec2' ? 'EC2' : 'RDS'} `
      + 'creates a grant for the caller, which needs kms:CreateGrant and kms:DescribeKey through the service). Let that principal in with '
      + 'key.grant(principal, \'kms:CreateGrant\', \'kms:DescribeKey\'), or deploy the stack with a DefaultStackSynthesizer.');
    return;
  }
  // One statement per deploying stack (copies of several stacks may share the key).
  const suffix = digest(stack.node.path);
  allowUseThrough(key, stack, service, new iam.ArnPrincipal(role),
    `AllowRestoreThrough${service === 'ec2' ? 'Ec2' : 'Rds'}By${suffix}`);
}
