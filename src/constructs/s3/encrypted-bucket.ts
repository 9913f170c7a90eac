import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { checkLogTarget } from './log-target';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { grantOnPolicyKey, underlyingKey } from '../kms/key-grants';
import { ReplicaKey } from '../kms/replica-key';

/**
 * How an `EncryptedBucket` encrypts objects at rest.
 */
export enum BucketEncryptionChoice {
  /** SSE-KMS with a customer managed key: every use of the key is in CloudTrail. The default. */
  KMS = 'KMS',
  /** SSE-S3 (AES256): keys managed by S3, no audit trail of key use. */
  S3_MANAGED = 'S3_MANAGED',
  /** DSSE-KMS: two layers of encryption, the outer one with a customer managed key. */
  DSSE = 'DSSE',
}

/**
 * Properties of an `EncryptedBucket`: those of `s3.Bucket`, plus `encryptionChoice`.
 *
 * Some inherited properties are refused, or have another default here, which their own
 * (aws-cdk-lib's) documentation cannot say. A refused value is an error at construction that names
 * the prop, the value and the fix.
 *
 * - `encryption`: **refused, whatever its value**; choose with `encryptionChoice` instead
 *   (`BucketEncryption.KMS`, `S3_MANAGED`, `DSSE` become `BucketEncryptionChoice.KMS`, `S3_MANAGED`,
 *   `DSSE`). `UNENCRYPTED` and the AWS managed `aws/s3` key (`KMS_MANAGED`, `DSSE_MANAGED`) are not
 *   offered. Default: SSE-KMS with a customer managed key.
 * - `encryptionKey`: refused if AWS managed (`alias/aws/s3`, any `alias/aws/...`), and with
 *   `encryptionChoice` S3_MANAGED. Default: a `CmkWithPolicy` created for the bucket (KMS, DSSE).
 * - `bucketKeyEnabled`: `true` refused with DSSE (Bucket Keys do not apply to DSSE-KMS). Default:
 *   `true` with KMS, not set otherwise.
 * - `enforceSSL`: `false` refused. Default: `true`.
 * - `minimumTLSVersion`: below 1.2 refused. Default: `1.2`.
 * - `blockedEncryptionTypes`: a list without `BlockedEncryptionType.SSE_C` refused. Default:
 *   `[BlockedEncryptionType.SSE_C]`.
 * - `publicReadAccess`: `true` refused (serve public content through CloudFront with origin
 *   access control). Default: `false`.
 * - `blockPublicAccess`: anything but `BlockPublicAccess.BLOCK_ALL` refused. Default: `BLOCK_ALL`.
 * - `serverAccessLogsBucket`: a target encrypted with the AWS managed `aws/s3` key (no log would
 *   arrive), or with a key whose policy this app cannot change, refused; use an `AccessLogBucket`.
 *   Delivery is allowed by the target's bucket policy, not by ACLs. Default: no server access logs.
 * - `serverAccessLogsPrefix`, `targetObjectKeyFormat`: refused without `serverAccessLogsBucket`
 *   (a bucket does not log into itself here).
 * - `replicationRules` (KMS, DSSE): a rule without `kmsKey`, or with `sseKmsEncryptedObjects: false`,
 *   refused (it would replicate nothing); `sseKmsEncryptedObjects` is turned on.
 * - `versioned`: default `true`. `objectOwnership`: default `BUCKET_OWNER_ENFORCED` (ACLs off).
 *   `removalPolicy`: default `RETAIN`.
 */
export interface EncryptedBucketProps extends s3.BucketProps {
  /**
   * How objects are encrypted at rest: SSE-KMS, SSE-S3 or DSSE-KMS. It replaces `encryption`,
   * which is refused.
   *
   * @default BucketEncryptionChoice.KMS
   */
  readonly encryptionChoice?: BucketEncryptionChoice;

  /**
   * Write S3 server access logs. Without `serverAccessLogsBucket` they go to the stack's shared
   * `AccessLogBucket` (`AccessLogBucket.shared`), under the partitioned key format
   * (`<account>/<Region>/<bucket>/<yyyy>/<mm>/<dd>/...`) unless `serverAccessLogsPrefix` or
   * `targetObjectKeyFormat` is given. With `false`, the bucket writes no access logs.
   *
   * @default true
   */
  readonly serverAccessLogs?: boolean;
}

/** The `x-amz-server-side-encryption` value each choice requires of uploads that name one. */
const ALGORITHM: Record<BucketEncryptionChoice, string> = {
  [BucketEncryptionChoice.KMS]: 'aws:kms',
  [BucketEncryptionChoice.S3_MANAGED]: 'AES256',
  [BucketEncryptionChoice.DSSE]: 'aws:kms:dsse',
};

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
    this.denyOtherEncryption(choice);
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
    if (!(target instanceof CmkWithPolicy || target instanceof ReplicaKey)) {
      return { grant: key.grant(grantee, ...actions) };
    }
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } };
    return { grant: grantOnPolicyKey(target, grantee, actions, viaS3) };
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

  /**
   * Uploads without encryption headers take the bucket default; uploads that name an algorithm or
   * a KMS key must name this bucket's, and customer-provided keys (SSE-C) are refused.
   */
  private denyOtherEncryption(choice: BucketEncryptionChoice): void {
    const objects = [this.arnForObjects('*')];
    const deny = (sid: string, conditions: { [op: string]: unknown }) => this.addToResourcePolicy(new iam.PolicyStatement({
      sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:PutObject'], resources: objects, conditions,
    }));
    deny('DenyOtherEncryptionAlgorithm', {
      Null: { 's3:x-amz-server-side-encryption': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption': ALGORITHM[choice] },
    });
    deny('DenyOtherKmsKey', this.encryptionKey === undefined
      ? { Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' } }
      : {
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        // The bucket's key, named by key ARN or key ID; alias forms are refused.
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [this.encryptionKey.keyArn, this.encryptionKey.keyId] },
      });
    if (this.encryptionKey !== undefined) {
      // `aws:kms` (or `aws:kms:dsse`) without a key ID makes S3 use the AWS managed aws/s3 key, not
      // the bucket's: such an upload must name the key, or name no algorithm at all.
      deny('DenyKmsWithoutBucketKey', {
        Null: { 's3:x-amz-server-side-encryption': 'false', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
      });
    }
    deny('DenyCustomerProvidedKeys', { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } });
  }
}

function refuseWeakenings(scope: Construct, id: string, props: EncryptedBucketProps): void {
  const refuse = (prop: string, value: string, fix: string) => {
    throw validationError('WeakenedEncryptedBucket', `EncryptedBucket "${id}": ${prop} is ${value}, which weakens it. ${fix}`, scope);
  };
  if (props.encryption !== undefined) {
    const encryption = props.encryption;
    if (encryption === s3.BucketEncryption.UNENCRYPTED) {
      refuse('encryption', 'BucketEncryption.UNENCRYPTED', 'A bucket must be encrypted: leave encryption unset (SSE-KMS with a customer managed key).');
    }
    if (encryption === s3.BucketEncryption.KMS_MANAGED || encryption === s3.BucketEncryption.DSSE_MANAGED) {
      refuse('encryption', `BucketEncryption.${encryption}`, 'It uses the AWS managed aws/s3 key, whose use you cannot control: leave encryption unset '
        + '(SSE-KMS with a customer managed key). Use encryptionChoice to choose DSSE or S3_MANAGED.');
    }
    // KMS, DSSE and S3_MANAGED are offered, under another prop: the refusal says which, and does not call them weak.
    throw validationError('WeakenedEncryptedBucket', `EncryptedBucket "${id}": encryption is not taken by an EncryptedBucket, which chooses its `
      + `encryption with encryptionChoice. Replace encryption: BucketEncryption.${encryption} with encryptionChoice: BucketEncryptionChoice.${encryption}`
      + `${encryption === s3.BucketEncryption.KMS ? ' (the default: leave both unset)' : ''}.`, scope);
  }
  if (props.enforceSSL === false) {
    refuse('enforceSSL', 'false', 'Requests without TLS must be denied: leave enforceSSL unset.');
  }
  if (props.minimumTLSVersion !== undefined && props.minimumTLSVersion < 1.2) {
    refuse('minimumTLSVersion', String(props.minimumTLSVersion), 'TLS below 1.2 is deprecated: use 1.2 (the default) or 1.3.');
  }
  if (props.encryptionKey !== undefined && isAwsManagedKey(props.encryptionKey)) {
    const name = (props.encryptionKey as { aliasName?: string }).aliasName ?? props.encryptionKey.keyArn;
    refuse('encryptionKey', `the AWS managed key ${name}`, 'Its use cannot be controlled, limited or shared, and S3 log delivery cannot use it: '
      + 'leave encryptionKey unset (a customer managed key is created) or pass a customer managed key.');
  }
  if (props.bucketKeyEnabled === true && props.encryptionChoice === BucketEncryptionChoice.DSSE) {
    refuse('bucketKeyEnabled', 'true with DSSE', 'S3 Bucket Keys do not apply to DSSE-KMS: leave bucketKeyEnabled unset, or choose KMS.');
  }
  if (props.serverAccessLogs === false) {
    const given = (['serverAccessLogsBucket', 'serverAccessLogsPrefix', 'targetObjectKeyFormat'] as const).find(p => props[p] !== undefined);
    if (given !== undefined) {
      throw validationError('WeakenedEncryptedBucket', `EncryptedBucket "${id}": serverAccessLogs is false, but ${given} is set, so it would be dropped. `
        + 'Drop serverAccessLogs: false to write access logs, or drop ' + given + '.', scope);
    }
  }
  if (props.publicReadAccess === true) {
    refuse('publicReadAccess', 'true', 'An encrypted bucket is private: serve public content through CloudFront with origin access control.');
  }
  if (props.blockPublicAccess !== undefined && !blocksAll(props.blockPublicAccess)) {
    refuse('blockPublicAccess', 'not BLOCK_ALL', 'Leave blockPublicAccess unset (BlockPublicAccess.BLOCK_ALL).');
  }
  if (props.blockedEncryptionTypes !== undefined && !props.blockedEncryptionTypes.some(t => t.name === s3.BlockedEncryptionType.SSE_C.name)) {
    refuse('blockedEncryptionTypes', 'without SSE-C', 'Customer-provided keys (SSE-C) must stay blocked: leave blockedEncryptionTypes unset.');
  }
}

/**
 * Replication rules of an SSE-KMS or DSSE bucket must replicate KMS-encrypted objects (every object
 * of the bucket is one), with a key for the replicas: otherwise a rule replicates nothing.
 */
function replicationRulesFor(
  scope: Construct, id: string, choice: BucketEncryptionChoice, rules?: s3.ReplicationRule[],
): s3.ReplicationRule[] | undefined {
  if (rules === undefined || choice === BucketEncryptionChoice.S3_MANAGED) {
    return rules;
  }
  return rules.map((rule, i) => {
    if (rule.sseKmsEncryptedObjects === false) {
      throw validationError('WeakenedEncryptedBucket', `EncryptedBucket "${id}": replicationRules[${i}].sseKmsEncryptedObjects is false, so the rule `
        + 'replicates nothing: every object of this bucket is KMS-encrypted. Leave it unset (it is turned on).', scope);
    }
    if (rule.kmsKey === undefined) {
      throw validationError('WeakenedEncryptedBucket', `EncryptedBucket "${id}": replicationRules[${i}] has no kmsKey, so S3 cannot encrypt the replicas `
        + 'of KMS-encrypted objects. Give kmsKey, a customer managed key in the destination\'s Region.', scope);
    }
    return { ...rule, sseKmsEncryptedObjects: true };
  });
}

function blocksAll(block: s3.BlockPublicAccess): boolean {
  return [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets].every(b => b === true);
}
