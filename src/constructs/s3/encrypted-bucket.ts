import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { denyOtherEncryption } from './bucket-encryption-policy';
import { BucketEncryptionChoice, EncryptedBucketProps } from './encrypted-bucket-props';
import { refuseWeakenings, replicationRulesFor } from './encrypted-bucket-refusals';
import { allowInventoryDelivery } from './inventory-destination';
import { checkLogTarget } from './log-target';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { grantInIdentityPolicy, grantOnPolicyKey, identityTargetOf, underlyingKey } from '../kms/key-grants';
import { ReplicaKey } from '../kms/replica-key';

// The props and the encryption choice live in their own file; they are exported from here too,
// where the construct's users have always imported them.
export { BucketEncryptionChoice, EncryptedBucketProps } from './encrypted-bucket-props';

/**
 * An S3 bucket that is encrypted, TLS-only and private by default, and refuses uploads that try
 * to bring another key: SSE-KMS with a customer managed key (a `CmkWithPolicy` made for it unless
 * `encryptionKey` is given) and bucket keys, `enforceSSL` with TLS 1.2 at least, SSE-C blocked,
 * a bucket policy that denies uploads naming another algorithm or KMS key, all public access
 * blocked, object ownership enforced, versioning on, and retained on removal.
 *
 * It is an `s3.Bucket`: grants (`grantRead`, `grantWrite`, ...) give the key what they need.
 *
 * @example
 * import { EncryptedBucket } from 'cdk-encryption-guard';
 *
 * const bucket = new EncryptedBucket(this, 'Data');
 * bucket.grantRead(reportRole);
 */
export class EncryptedBucket extends s3.Bucket {
  /** The encryption the bucket applies by default. */
  public readonly encryptionChoice: BucketEncryptionChoice;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps = {}) {
    assertCdkVersion('constructs');
    refuseWeakenings(scope, id, props);
    const choice = props.encryptionChoice ?? BucketEncryptionChoice.KMS;
    if (choice === BucketEncryptionChoice.S3_MANAGED && props.encryptionKey !== undefined) {
      throw validationError('KeyWithSseS3', `EncryptedBucket "${id}": encryptionKey is set but encryptionChoice is S3_MANAGED, which uses no KMS key. `
        + 'Choose KMS or DSSE to use the key, or drop encryptionKey.', scope);
    }
    const usesKms = choice !== BucketEncryptionChoice.S3_MANAGED;
    const encryptionKey = usesKms
      ? props.encryptionKey ?? new CmkWithPolicy(scope, `${id}Key`, { description: `Encrypts the objects of bucket ${id}` })
      : undefined;
    super(scope, id, {
      ...props,
      // Logging is wired below, through the bucket policy of the target: CDK's own wiring falls back
      // to ACLs unless a feature flag is set, and ACLs are disabled on our buckets.
      serverAccessLogsBucket: undefined,
      serverAccessLogsPrefix: undefined,
      targetObjectKeyFormat: undefined,
      replicationRules: replicationRulesFor(scope, id, choice, props.replicationRules),
      encryption: choice === BucketEncryptionChoice.KMS ? s3.BucketEncryption.KMS
        : choice === BucketEncryptionChoice.DSSE ? s3.BucketEncryption.DSSE : s3.BucketEncryption.S3_MANAGED,
      encryptionKey,
      // Bucket keys do not apply to DSSE-KMS: S3 ignores or refuses the setting there.
      bucketKeyEnabled: choice === BucketEncryptionChoice.KMS ? props.bucketKeyEnabled ?? true : undefined,
      enforceSSL: true,
      minimumTLSVersion: props.minimumTLSVersion ?? 1.2,
      blockedEncryptionTypes: props.blockedEncryptionTypes ?? [s3.BlockedEncryptionType.SSE_C],
      blockPublicAccess: props.blockPublicAccess ?? s3.BlockPublicAccess.BLOCK_ALL,
      publicReadAccess: false,
      objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: props.versioned ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.encryptionChoice = choice;
    if (props.serverAccessLogs ?? true) {
      const shared = props.serverAccessLogsBucket === undefined;
      const keyFormat = props.targetObjectKeyFormat ?? (shared && props.serverAccessLogsPrefix === undefined
        // Several buckets share the target: partitioned keys name the source bucket.
        ? s3.TargetObjectKeyFormat.partitionedPrefix(s3.PartitionDateSource.EVENT_TIME) : undefined);
      this.logTo(props.serverAccessLogsBucket ?? AccessLogBucket.shared(this), props.serverAccessLogsPrefix, keyFormat);
    }
    denyOtherEncryption(this, choice);
  }

  /**
   * The key part of the bucket's grants (`grantRead`, `grantWrite`, `grantPut`, `grantReadWrite`,
   * `grants.*`): S3 uses the key on the grantee's behalf, so the grantee may use it only through S3
   * in the bucket's Region (`kms:ViaService`), in its IAM policy and, for a key of this library, in
   * the key policy (by name, or by principal tag across stacks). A direct `kms:Decrypt` on the key
   * is not granted: grant it on the key itself where it is meant.
   *
   * A key from outside this library keeps aws-cdk-lib's grant (its key policy is not ours to read).
   */
  public grantOnKey(grantee: iam.IGrantable, ...actions: string[]): iam.GrantOnKeyResult {
    const key = this.encryptionKey;
    if (key === undefined || actions.length === 0) {
      return {};
    }
    const target = underlyingKey(key);
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } };
    if (identityTargetOf(target).conditions !== undefined) {
      // An imported alias (one of the app resolves to its key above) grants nothing in aws-cdk-lib
      // without a feature flag, and its ARN would authorize nothing: allow, through S3, the keys of
      // the account and Region that carry this alias.
      return { grant: grantInIdentityPolicy(target, grantee, actions, viaS3) };
    }
    if (!(target instanceof CmkWithPolicy || target instanceof ReplicaKey)) {
      return { grant: key.grant(grantee, ...actions) };
    }
    return { grant: grantOnPolicyKey(target, grantee, actions, viaS3) };
  }

  /**
   * Adds an inventory, as `s3.Bucket` does. When the destination bucket encrypts with a KMS key of
   * this app, that key's policy also lets S3 generate data keys for this account's inventory files
   * (`s3.amazonaws.com`, `aws:SourceAccount`). A destination bucket of another stack of the app is
   * refused: aws-cdk-lib's bucket policy for it refers to this bucket across templates without an
   * export, which CloudFormation refuses.
   */
  public addInventory(inventory: s3.Inventory): void {
    const destination = inventory.destination.bucket;
    if (Stack.of(destination) !== Stack.of(this) && destination.node.defaultChild instanceof s3.CfnBucket) {
      // aws-cdk-lib writes this bucket's ARN into the destination's bucket policy with no export:
      // the destination's template refers to a resource it does not have, and CloudFormation refuses it.
      throw validationError('InventoryDestinationInAnotherStack', `inventory destination ${destination.node.path} is in another stack than bucket `
        + `${this.node.path}; aws-cdk-lib would write a bucket policy that refers to this bucket without an export, which CloudFormation refuses. `
        + 'Put the destination bucket in this stack, or import it into this stack with s3.Bucket.fromBucketAttributes({ bucketArn, encryptionKey }) '
        + '(its key then lets S3 encrypt the files) and allow s3.amazonaws.com s3:PutObject in its own bucket policy.', this);
    }
    super.addInventory(inventory);
    allowInventoryDelivery(this, destination);
  }

  private logTo(target: s3.IBucket, prefix?: string, keyFormat?: s3.TargetObjectKeyFormat): void {
    checkLogTarget(this, target);
    (this.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: target.bucketName, logFilePrefix: prefix, targetObjectKeyFormat: keyFormat?._render(),
    };
    // In the target's stack, this bucket's ARN would be a reference back to this stack, while this
    // bucket's logging configuration refers to the target: a cycle. Across stacks, the delivery is
    // limited to this account (aws:SourceAccount) and the prefix; in one stack, to this bucket too.
    const sameStack = Stack.of(target) === Stack.of(this);
    target.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowAccessLogsFrom${Names.uniqueId(this)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${prefix ?? ''}*`)],
      conditions: {
        ...(sameStack ? { ArnLike: { 'aws:SourceArn': this.bucketArn } } : {}),
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
  }
}
