import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEncryptionChoice } from './encrypted-bucket-props';
import { underlyingKey } from '../kms/key-grants';

/** The `x-amz-server-side-encryption` value each choice requires of uploads that name one. */
const ALGORITHM: Record<BucketEncryptionChoice, string> = {
  [BucketEncryptionChoice.KMS]: 'aws:kms',
  [BucketEncryptionChoice.S3_MANAGED]: 'AES256',
  [BucketEncryptionChoice.DSSE]: 'aws:kms:dsse',
};

/**
 * Uploads without encryption headers take the bucket default; uploads that name an algorithm or
 * a KMS key must name this bucket's, and customer-provided keys (SSE-C) are refused.
 */
export function denyOtherEncryption(bucket: s3.Bucket, choice: BucketEncryptionChoice): void {
  const objects = [bucket.arnForObjects('*')];
  const deny = (sid: string, conditions: { [op: string]: unknown }) => bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:PutObject'], resources: objects, conditions,
  }));
  deny('DenyOtherEncryptionAlgorithm', {
    Null: { 's3:x-amz-server-side-encryption': 'false' },
    StringNotEquals: { 's3:x-amz-server-side-encryption': ALGORITHM[choice] },
  });
  // An alias given as `encryptionKey` (the bucket default then names the alias) stands for its
  // target key, which S3 records on the objects: uploads name that key, as with `grantOnKey`. An
  // alias imported by name has no known target, so its own ARN and name stay the allowed forms.
  const key = bucket.encryptionKey === undefined ? undefined : underlyingKey(bucket.encryptionKey);
  deny('DenyOtherKmsKey', key === undefined
    ? { Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' } }
    : {
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      // The bucket's key, named by key ARN or key ID; alias forms are refused.
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [key.keyArn, key.keyId] },
    });
  if (bucket.encryptionKey !== undefined) {
    // `aws:kms` (or `aws:kms:dsse`) without a key ID makes S3 use the AWS managed aws/s3 key, not
    // the bucket's: such an upload must name the key, or name no algorithm at all.
    deny('DenyKmsWithoutBucketKey', {
      Null: { 's3:x-amz-server-side-encryption': 'false', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
    });
  }
  deny('DenyCustomerProvidedKeys', { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } });
}
