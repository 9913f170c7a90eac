import { Duration, RemovalPolicy, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DECRYPT_ACTIONS, ENCRYPT_ACTIONS, grantOnPolicyKey } from './key-grants';
import { checkedDays } from './key-periods';
import { KeyPolicyModel, KeyPolicyOptions } from './key-policy';
import { assertCdkVersion } from '../../private/cdk-version';

/**
 * Options for a replica of a multi-Region key (`MultiRegionKey.addReplica`).
 */
export interface ReplicaKeyOptions {
  /**
   * A description of the replica.
   *
   * @default - the primary's description is not copied; no description
   */
  readonly description?: string;

  /**
   * An alias for the replica, in its Region (`alias/` is added when missing).
   *
   * @default - no alias
   */
  readonly alias?: string;

  /**
   * How long a replica scheduled for deletion waits before it is deleted: 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the replica when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Options of `MultiRegionKey.addReplica`.
 */
export interface AddReplicaOptions extends ReplicaKeyOptions {
  /**
   * The ARN of the role that deploys the replica's stack (its CloudFormation execution role), used
   * when the primary's `administrators` leave out the account: the replica's policy keeps it an
   * administrator (KMS's lockout safety check), and the primary's policy lets it call
   * `kms:ReplicateKey` and `kms:DescribeKey` on the primary. Unused when the account administers
   * the key.
   *
   * @default - both the primary's `deployingRoleArn` and the CloudFormation execution role of the
   * replica stack's `DefaultStackSynthesizer` (a CDK bootstrap has one per Region), those there are
   */
  readonly deployingRoleArn?: string;
}

/**
 * Properties of a `ReplicaKey`.
 */
export interface ReplicaKeyProps extends ReplicaKeyOptions, KeyPolicyOptions {
  /** The ARN of the multi-Region primary key this key replicates (in another Region). */
  readonly primaryKeyArn: string;
}

/**
 * A replica of a multi-Region KMS key (`AWS::KMS::ReplicaKey`) in its own Region: the same key
 * material and key ID as its primary, with its own key policy, built by the same rules as
 * `CmkWithPolicy`'s. It is a `kms.IKey`, so constructs in its Region can encrypt with it.
 *
 * Usually made with `MultiRegionKey.addReplica(stack)`. Rotation follows the primary key.
 */
export class ReplicaKey extends Resource implements kms.IKey {
  /** The replica's ARN (in its Region). */
  public readonly keyArn: string;
  /** The key ID, shared with the primary and every replica (`mrk-...`). */
  public readonly keyId: string;
  /** The ARN of the multi-Region primary key this key replicates. */
  public readonly primaryKeyArn: string;
  private readonly policyModel: KeyPolicyModel;
  private aliasCount = 0;

  constructor(scope: Construct, id: string, props: ReplicaKeyProps) {
    assertCdkVersion('constructs');
    super(scope, id);
    const pendingWindow = checkedDays(this, `replica key "${id}"`, 'pendingWindow', props.pendingWindow ?? Duration.days(30), 7, 30).toDays();
    this.primaryKeyArn = props.primaryKeyArn;
    this.policyModel = new KeyPolicyModel(this, props);
    this.policyModel.attach(this);
    const resource = new kms.CfnReplicaKey(this, 'Resource', {
      primaryKeyArn: props.primaryKeyArn,
      keyPolicy: this.policyModel.document,
      description: props.description,
      pendingWindowInDays: pendingWindow,
      enabled: true,
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.keyArn = resource.attrArn;
    this.keyId = resource.attrKeyId;
    if (props.alias !== undefined) {
      this.addAlias(props.alias);
    }
  }

  public get keyRef(): kms.KeyReference {
    return { keyArn: this.keyArn, keyId: this.keyId };
  }

  public addAlias(aliasName: string): kms.Alias {
    const id = this.aliasCount++ === 0 ? 'Alias' : `Alias${aliasName}`;
    return new kms.Alias(this, id, { aliasName, targetKey: this });
  }

  /** Adds a statement to the replica's key policy; one open to everyone without a limiting condition is refused. */
  public addToResourcePolicy(statement: iam.PolicyStatement, _allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    this.policyModel.guard(statement);
    this.policyModel.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policyModel.document };
  }

  /** Grants `actions` on the replica, in its key policy and the grantee's policy (see `CmkWithPolicy.grant`). */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return grantOnPolicyKey(this, grantee, actions);
  }

  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...DECRYPT_ACTIONS);
  }

  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...ENCRYPT_ACTIONS);
  }

  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...DECRYPT_ACTIONS, ...ENCRYPT_ACTIONS);
  }

  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.grants.sign(grantee);
  }

  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grants.verify(grantee);
  }

  public grantSignVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grants.signVerify(grantee);
  }

  public grantGenerateMac(grantee: iam.IGrantable): iam.Grant {
    return this.grants.generateMac(grantee);
  }

  public grantVerifyMac(grantee: iam.IGrantable): iam.Grant {
    return this.grants.verifyMac(grantee);
  }

  /** Grants that name the grantee in the replica's key policy (it does not delegate use to IAM). */
  public get grants(): kms.KeyGrants {
    return kms.KeyGrants.fromKey(this, false);
  }

  /** The replica's Region. */
  public get region(): string {
    return Stack.of(this).region;
  }
}
