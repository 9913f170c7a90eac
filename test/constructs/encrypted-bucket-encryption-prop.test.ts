import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEncryptionChoice, EncryptedBucket } from '../../src';
import { newApp, newStack } from '../support/app';

// `encryption` is refused whatever its value (EncryptedBucketProps documents it so). The message must
// not call an encryption that `encryptionChoice` offers weak, and must name the choice that replaces it.
describe('EncryptedBucket refuses `encryption` without contradicting itself', () => {
  const offered: Array<[s3.BucketEncryption, BucketEncryptionChoice]> = [
    [s3.BucketEncryption.S3_MANAGED, BucketEncryptionChoice.S3_MANAGED],
    [s3.BucketEncryption.KMS, BucketEncryptionChoice.KMS],
    [s3.BucketEncryption.DSSE, BucketEncryptionChoice.DSSE],
  ];

  test.each(offered)('BucketEncryption.%s points to encryptionChoice %s and is not called weak', (encryption, choice) => {
    const stack = newStack(newApp());
    let message = '';
    try {
      new EncryptedBucket(stack, 'Data', { encryption });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`encryptionChoice: BucketEncryptionChoice.${choice}`);
    expect(message).not.toMatch(/weaken/);
    // What the message recommends is accepted.
    expect(() => new EncryptedBucket(stack, 'Replacement', { encryptionChoice: choice })).not.toThrow();
  });

  test.each([s3.BucketEncryption.KMS_MANAGED, s3.BucketEncryption.DSSE_MANAGED])('BucketEncryption.%s is refused as the AWS managed key', (encryption) => {
    const stack = newStack(newApp());
    expect(() => new EncryptedBucket(stack, 'Data', { encryption })).toThrow(/weakens it\. It uses the AWS managed aws\/s3 key.*Use encryptionChoice/);
  });

  test('BucketEncryption.UNENCRYPTED is refused as a weakening', () => {
    const stack = newStack(newApp());
    expect(() => new EncryptedBucket(stack, 'Data', { encryption: s3.BucketEncryption.UNENCRYPTED })).toThrow(/weakens it\. A bucket must be encrypted/);
  });
});
