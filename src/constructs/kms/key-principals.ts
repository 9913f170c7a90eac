/**
 * Who a key policy of this library names (internal: not exported from the package): the account,
 * the role that deploys a key's stack, and principals that cannot be named at all (IAM groups).
 */
import { DefaultStackSynthesizer, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { hasPublicPrincipal } from '../../aws/iam-policy';
import { validationError } from '../../private/errors';

/** Whether a principal is the account root of the key's own account (`AccountRootPrincipal`, `AccountPrincipal(id)`). */
export function isAccountRoot(scope: IConstruct, principal: iam.IPrincipal): boolean {
  const stack = Stack.of(scope);
  const statement = new iam.PolicyStatement({ principals: [principal], actions: ['kms:DescribeKey'], resources: ['*'] });
  const aws = JSON.stringify(stack.resolve(statement.toStatementJson()).Principal?.AWS ?? '');
  const account = Token.isUnresolved(stack.account) ? '{"Ref":"AWS::AccountId"}' : stack.account;
  return aws.includes(':root') && aws.includes(account);
}

/** Whether a principal is everyone (`"*"`). */
export function isEveryone(scope: IConstruct, principal: iam.IPrincipal): boolean {
  const statement = new iam.PolicyStatement({ principals: [principal], actions: ['kms:DescribeKey'], resources: ['*'] });
  return hasPublicPrincipal(Stack.of(scope).resolve(statement.toStatementJson()));
}

/**
 * The role that deploys the key's stack: `deployingRoleArn`, or the CloudFormation execution role of
 * a `DefaultStackSynthesizer`. Without one, a key whose administrators leave out the account would
 * fail KMS's lockout safety check at deploy time, so it is refused now.
 */
export function deployingRoleOf(scope: IConstruct, deployingRoleArn: string | undefined): string {
  if (deployingRoleArn !== undefined) {
    return deployingRoleArn;
  }
  const role = executionRoleOf(Stack.of(scope));
  if (role !== undefined) {
    return role;
  }
  const stack = Stack.of(scope);
  const top = deployingStackOf(stack);
  const name = top.synthesizer.constructor.name;
  const synthesizer = top === stack ? `the stack's ${name}` : `the ${name} of the top-level stack "${top.node.path}", which deploys this nested stack,`;
  throw validationError('KeyLockoutCheck',
    `administrators leaves out the account, and ${synthesizer} names no deploying role: KMS CreateKey runs a `
    + 'lockout safety check and fails (MalformedPolicyDocumentException) unless the caller could change the key policy afterwards. '
    + 'Add new iam.AccountRootPrincipal() to administrators, or set deployingRoleArn to the role that deploys the stack.', scope);
}

/** A deploying role: its ARN for a policy, and a key that tells two roles apart at synthesis. */
interface DeployingRole {
  readonly arn: string;
  readonly key: string;
}

/** The role given, else the execution role named by the synthesizer of the stack that deploys `stack`. */
function deployingRoleFor(stack: Stack, given: string | undefined): DeployingRole | undefined {
  if (given !== undefined) {
    return { arn: given, key: given };
  }
  const synthesizer = deployingStackOf(stack).synthesizer;
  if (synthesizer instanceof DefaultStackSynthesizer) {
    // The synthesizer's ARN holds ${AWS::Partition}-style placeholders: Fn::Sub fills them in.
    return { arn: Fn.sub(synthesizer.cloudFormationExecutionRoleArn), key: synthesizer.cloudFormationExecutionRoleArn };
  }
  return undefined;
}

/** The roles a replica of a multi-Region key needs named. */
export interface ReplicaDeployingRoles {
  /** The roles that may deploy the replica's stack, for the replica's own policy (none: unknown). */
  readonly replica: string[];
  /** Those the primary's policy must let replicate and describe the primary. */
  readonly admitOnPrimary: string[];
}

/**
 * The roles that may deploy a replica's stack: the one given for the replica; else the primary's
 * `deployingRoleArn` (one role deploying every stack) and the execution role of the replica stack's
 * `DefaultStackSynthesizer` (a CDK bootstrap has one per Region), as either may be the one. The
 * primary's policy must let them call `kms:ReplicateKey` and `kms:DescribeKey` unless the account
 * administers the key (its IAM policies decide) or it is the role the primary's policy already names.
 */
export function replicaDeployingRoles(primary: IConstruct, replicaStack: Stack, administrators: iam.IPrincipal[] | undefined,
  primaryGiven: string | undefined, replicaGiven: string | undefined): ReplicaDeployingRoles {
  const candidates: DeployingRole[] = [];
  for (const role of replicaGiven !== undefined ? [deployingRoleFor(replicaStack, replicaGiven)]
    : [primaryGiven === undefined ? undefined : { arn: primaryGiven, key: primaryGiven }, deployingRoleFor(replicaStack, undefined)]) {
    if (role !== undefined && !candidates.some(c => c.key === role.key)) {
      candidates.push(role);
    }
  }
  const replica = candidates.map(c => c.arn);
  if (administrators === undefined || administrators.some(p => isAccountRoot(primary, p))) {
    return { replica, admitOnPrimary: [] };
  }
  const own = deployingRoleFor(Stack.of(primary), primaryGiven);
  return { replica, admitOnPrimary: candidates.filter(c => c.key !== own?.key).map(c => c.arn) };
}

/**
 * The stack CloudFormation deploys with its own role: a nested stack is created by its parent's
 * stack operation, under the role of the top-level stack (its `NestedStackSynthesizer` names none).
 */
export function deployingStackOf(stack: Stack): Stack {
  let top = stack;
  while (top.nestedStackParent !== undefined) {
    top = top.nestedStackParent;
  }
  return top;
}

/**
 * The CloudFormation execution role that deploys `stack` (nested stacks: their top-level stack's),
 * when a `DefaultStackSynthesizer` names one; its ARN holds `${AWS::Partition}`-style placeholders,
 * which `Fn::Sub` fills in (a nested stack shares its parent's account and Region).
 */
export function executionRoleOf(stack: Stack): string | undefined {
  return deployingRoleFor(stack, undefined)?.arn;
}

/** The IAM group a principal is (or acts through, as `kms.ViaServicePrincipal`); undefined for other principals. */
export function groupOf(principal: iam.IPrincipal): iam.IGroup | undefined {
  if (principal instanceof kms.ViaServicePrincipal) {
    const base = (principal as unknown as { basePrincipal?: iam.IPrincipal }).basePrincipal;
    return base === undefined ? undefined : groupOf(base);
  }
  const candidate = principal as Partial<iam.IGroup>;
  return typeof candidate.groupArn === 'string' && typeof candidate.groupName === 'string' && candidate.node !== undefined
    ? principal as iam.IGroup : undefined;
}

/**
 * Refuses an IAM group where this library would name it in a key policy, with what to do instead: IAM
 * does not accept a group as a principal, and our keys do not let IAM policies alone use them.
 */
export function refuseGroup(scope: IConstruct, principal: iam.IPrincipal, what: string): void {
  const group = groupOf(principal);
  if (group === undefined) {
    return;
  }
  throw validationError('GroupInKeyPolicy',
    `${what} names the IAM group ${group.node.path}: IAM does not accept a group as a principal in a key policy, where this library `
    + 'names who may use or manage the key (its keys do not let IAM policies alone use them). Grant to a role (for people: a role '
    + 'the group\'s members may assume) or to users instead; or give the group an identity policy on the key ARN (group.addToPolicy '
    + 'with resources: [key.keyArn]) and let its members in through the key policy (addToResourcePolicy with the account as principal '
    + 'and a condition that names them, such as aws:PrincipalTag).', scope);
}
