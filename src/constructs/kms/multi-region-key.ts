import { Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CmkWithPolicy, CmkWithPolicyProps } from './cmk-with-policy';
import { ADMIN_ACTIONS } from './key-policy';
import { deployingStackOf, isAccountRoot, replicaDeployingRoles } from './key-principals';
import { AddReplicaOptions, ReplicaKey } from './replica-key';
import { hasCrossRegionReferences } from '../../private/cdk-internals';
import { validationError } from '../../private/errors';

/**
 * Properties of a `MultiRegionKey`: the same as `CmkWithPolicy`'s.
 */
export interface MultiRegionKeyProps extends CmkWithPolicyProps {}

/**
 * The primary key of a multi-Region KMS key (`MultiRegion: true`), with `CmkWithPolicy`'s policy
 * model and rotation. Replicas in other Regions share its key material and key ID, so data
 * encrypted in one Region can be decrypted in another (disaster recovery, global tables, ...).
 *
 * @example
 * import { MultiRegionKey } from 'cdk-encryption-guard';
 *
 * const key = new MultiRegionKey(primaryStack, 'Key');
 * const replica = key.addReplica(drStack);   // a kms.IKey in drStack's Region
 */
export class MultiRegionKey extends CmkWithPolicy {
  private readonly replicas = new Map<string, ReplicaKey>();

  constructor(scope: Construct, id: string, props: MultiRegionKeyProps = {}) {
    super(scope, id, props);
    (this.node.defaultChild as kms.CfnKey).multiRegion = true;
    if (Token.isUnresolved(Stack.of(this).region)) {
      throw validationError('MultiRegionKeyNeedsRegion',
        `MultiRegionKey "${id}" is in an environment-agnostic stack: give the stack an explicit env.region, so that replicas can be placed in other Regions.`, this);
    }
  }

  /**
   * Creates a replica of this key in `stack`'s Region, with the same key policy model. The stack
   * must have an explicit Region other than this key's and other replicas', and
   * `crossRegionReferences: true` (it reads this key's ARN from another Region).
   *
   * @param stack the stack, in the replica's Region, that holds the replica
   */
  public addReplica(stack: Stack, options: AddReplicaOptions = {}): ReplicaKey {
    const region = stack.region;
    const primaryRegion = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      throw validationError('ReplicaNeedsRegion',
        `addReplica: stack "${stack.node.path}" is environment-agnostic; give it an explicit env.region for the replica.`, this);
    }
    if (region === primaryRegion) {
      throw validationError('ReplicaInPrimaryRegion',
        `addReplica: stack "${stack.node.path}" is in ${region}, the primary key's own Region; a replica must be in another Region.`, this);
    }
    const existing = this.replicas.get(region);
    if (existing !== undefined) {
      throw validationError('DuplicateReplicaRegion',
        `addReplica: this key already has a replica in ${region} (${existing.node.path}); a Region holds at most one replica of a key.`, this);
    }
    const account = stack.account;
    const primaryAccount = Stack.of(this).account;
    if (!Token.isUnresolved(account) && !Token.isUnresolved(primaryAccount) && account !== primaryAccount) {
      throw validationError('ReplicaInOtherAccount',
        `addReplica: stack "${stack.node.path}" is in account ${account}, but the primary key is in ${primaryAccount}: a multi-Region key `
        + 'and its replicas stay in one account. Create the replica in a stack of that account, and share it with crossAccountIds.', this);
    }
    // A nested stack reads other stacks' values through its top-level stack, which holds the option.
    const topLevel = deployingStackOf(stack);
    if (!hasCrossRegionReferences(topLevel)) {
      throw validationError('ReplicaNeedsCrossRegionReferences',
        `addReplica: stack "${topLevel.node.path}" must be created with crossRegionReferences: true, because the replica reads the primary key's ARN from ${primaryRegion}.`, this);
    }
    // Only who manages and uses the key carries over: the description, alias, window and removal
    // policy of the primary are the replica's own choices (ReplicaKeyOptions).
    const { administrators, keyUsers, requireMfaForDecrypt, crossAccountIds, viaServices, deployingRoleArn } = this.policyOptions;
    const roles = replicaDeployingRoles(this, stack, administrators, deployingRoleArn, options.deployingRoleArn);
    const replica = new ReplicaKey(stack, `ReplicaOf${Names.uniqueId(this)}`, {
      administrators,
      keyUsers,
      requireMfaForDecrypt,
      crossAccountIds,
      viaServices,
      ...options,
      deployingRoleArn: roles.replica[0],
      primaryKeyArn: this.keyArn,
    });
    if (roles.replica.length > 1 && administrators !== undefined && !administrators.some(p => isAccountRoot(this, p))) {
      // The other role that may deploy the replica's stack stays administrator too (the lockout check).
      replica.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'StackDeployingRoleAdministration',
        principals: [new iam.AccountRootPrincipal()],
        actions: ADMIN_ACTIONS,
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': roles.replica.slice(1) } },
      }));
    }
    this.replicas.set(region, replica);
    if (roles.admitOnPrimary.length > 0) {
      this.allowReplicaDeployment(region, roles.admitOnPrimary);
    }
    return replica;
  }

  /**
   * KMS requires `kms:ReplicateKey` in the primary key's policy (KMS API Reference, ReplicateKey),
   * and CloudFormation describes the primary: the role that deploys the replica's stack needs both.
   * When the account administers the key, its IAM policies decide; otherwise the primary's policy
   * lets exactly that role (`aws:PrincipalArn`) replicate the key into that Region only.
   */
  private allowReplicaDeployment(region: string, roles: string[]): void {
    const suffix = region.split('-').map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
    const byRole = { ArnEquals: { 'aws:PrincipalArn': roles.length === 1 ? roles[0] : roles } };
    const statement = (sid: string, action: string, conditions: { [operator: string]: { [key: string]: string | string[] } }) =>
      new iam.PolicyStatement({ sid, principals: [new iam.AccountRootPrincipal()], actions: [action], resources: ['*'], conditions });
    this.addToResourcePolicy(statement(`ReplicaDeployingRoleReplicate${suffix}`, 'kms:ReplicateKey',
      { ...byRole, StringEquals: { 'kms:ReplicaRegion': region } }));
    this.addToResourcePolicy(statement(`ReplicaDeployingRoleDescribe${suffix}`, 'kms:DescribeKey', byRole));
  }

  /** The replicas made with `addReplica`, by Region. */
  public get replicaRegions(): string[] {
    return [...this.replicas.keys()];
  }
}
