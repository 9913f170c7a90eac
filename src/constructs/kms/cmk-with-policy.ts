import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DECRYPT_ACTIONS, ENCRYPT_ACTIONS, grantOnPolicyKey } from './key-grants';
import { checkedDays } from './key-periods';
import { KeyPolicyModel, KeyPolicyOptions } from './key-policy';
import { assertCdkVersion } from '../../private/cdk-version';

/**
 * Properties of a `CmkWithPolicy`.
 */
export interface CmkWithPolicyProps extends KeyPolicyOptions {
  /**
   * A description of the key.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * An alias for the key (`alias/` is added when missing).
   *
   * @default - no alias
   */
  readonly alias?: string;

  /**
   * How often KMS rotates the key material: 90 to 2560 days. Rotation is always on.
   *
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;

  /**
   * How long a key scheduled for deletion waits before it is deleted: 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key when it leaves the stack. Deleting a key makes everything encrypted
   * with it unreadable.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A symmetric customer managed KMS key with an explicit key policy: named administrators (who
 * manage but cannot use it), named key users (who use but cannot manage it), optional MFA for
 * decryption, other accounts and services only when listed, grants only for AWS resources, and
 * rotation on. Refuses, at construction, a policy that would lock the key out or open it to everyone.
 *
 * It is a `kms.Key`: pass it wherever a key is expected. Its `grant*` methods add the grantee to
 * the key policy (the policy does not delegate use to IAM), and to the grantee's own policy.
 *
 * @example
 * import { CmkWithPolicy } from 'cdk-encryption-guard';
 *
 * const key = new CmkWithPolicy(this, 'Key', { alias: 'orders', keyUsers: [appRole] });
 */
export class CmkWithPolicy extends kms.Key {
  /** Who manages and uses the key (replicas of a multi-Region key get the same). */
  protected readonly policyOptions: KeyPolicyOptions;
  private readonly policyModel: KeyPolicyModel;

  constructor(scope: Construct, id: string, props: CmkWithPolicyProps = {}) {
    assertCdkVersion('constructs');
    const rotationPeriod = props.rotationPeriod ?? Duration.days(365);
    const pendingWindow = props.pendingWindow ?? Duration.days(30);
    const policyModel = new KeyPolicyModel(scope, props);
    super(scope, id, {
      description: props.description,
      alias: props.alias,
      enableKeyRotation: true,
      rotationPeriod: checkedDays(scope, `key "${id}"`, 'rotationPeriod', rotationPeriod, 90, 2560),
      pendingWindow: checkedDays(scope, `key "${id}"`, 'pendingWindow', pendingWindow, 7, 30),
      // Rendered as deployed keys of this class have them (KMS's defaults: a symmetric encryption
      // key); the KMS resource handler reads an unset KeySpec/KeyUsage as these same values.
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: policyModel.document,
    });
    this.policyModel = policyModel;
    this.policyOptions = props;
    policyModel.attach(this);
  }

  /**
   * Adds a statement to the key policy. A statement open to every principal without a condition
   * that limits who is refused.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    this.policyModel?.guard(statement);
    return super.addToResourcePolicy(statement, allowNoOp);
  }

  /**
   * Grants `actions` on this key to `grantee`: the key policy lets the grantee in (by name in the same
   * stack; by a principal tag from another stack of the account, so that no dependency cycle forms)
   * and the grantee's policy allows the actions on this key.
   */
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

  /**
   * Grants on the key through `kms.KeyGrants` (the `grants` property) name the grantee in the key
   * policy, also across stacks; prefer the `grant*` methods, which avoid dependency cycles.
   */
  public get grants(): kms.KeyGrants {
    // The key policy does not trust the account's IAM policies for use: grants name the grantee in it.
    return kms.KeyGrants.fromKey(this, false);
  }
}
