import * as s3 from 'aws-cdk-lib/aws-s3';

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
