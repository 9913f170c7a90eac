import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CmkWithPolicy } from './cmk-with-policy';
import { grantInIdentityPolicy, grantOnPolicyKey, underlyingKey } from './key-grants';
import { ReplicaKey } from './replica-key';

/**
 * Options for an envelope encryption grant.
 */
export interface EnvelopeGrantOptions {
  /**
   * Only allow requests made with this encryption context (`kms:EncryptionContext:<key>`
   * conditions), for example `{ tenant: 'acme' }`. The same context must be given to
   * GenerateDataKey and to Decrypt, and CloudTrail records it with every use of the key.
   *
   * @default - any encryption context
   */
  readonly encryptionContext?: { [key: string]: string };
}

/**
 * Grants for envelope encryption with a KMS key.
 *
 * KMS `Encrypt` takes at most 4 KB of plaintext, and every call sends the data to KMS. For larger
 * data, a writer calls `GenerateDataKey`: KMS returns a fresh data key twice, in plaintext (to
 * encrypt the data locally, then discard) and encrypted under the KMS key (to store next to the
 * data). A reader sends the encrypted data key to `Decrypt` and decrypts the data locally. The
 * KMS key never leaves KMS, each object has its own data key, and only the small data key crosses
 * the network. The AWS Encryption SDK and S3/EBS/RDS encryption work this way.
 */
export class EnvelopeEncryption {
  /**
   * Lets `grantee` create data keys to encrypt data (`kms:GenerateDataKey`), but not decrypt them.
   */
  public static grantWriter(key: kms.IKey, grantee: iam.IGrantable, options: EnvelopeGrantOptions = {}): iam.Grant {
    return grantWithContext(key, grantee, ['kms:GenerateDataKey'], options);
  }

  /**
   * Lets `grantee` decrypt data keys to read data (`kms:Decrypt`), but not create them.
   */
  public static grantReader(key: kms.IKey, grantee: iam.IGrantable, options: EnvelopeGrantOptions = {}): iam.Grant {
    return grantWithContext(key, grantee, ['kms:Decrypt'], options);
  }

  private constructor() {}
}

function grantWithContext(given: kms.IKey, grantee: iam.IGrantable, actions: string[], options: EnvelopeGrantOptions): iam.Grant {
  const entries = Object.entries(options.encryptionContext ?? {});
  const conditions = entries.length === 0 ? undefined : {
    StringEquals: Object.fromEntries(entries.map(([k, v]) => [`kms:EncryptionContext:${k}`, v])),
  };
  // Through an alias or an imported reference, the grant goes to the key behind it: an alias ARN
  // authorizes nothing in IAM, and our keys do not delegate use to IAM.
  const key = underlyingKey(given);
  if (key instanceof CmkWithPolicy || key instanceof ReplicaKey) {
    return grantOnPolicyKey(key, grantee, actions, conditions);
  }
  if (key instanceof kms.Key) {
    return iam.Grant.addToPrincipalOrResource({ grantee, actions, resourceArns: [key.keyArn], resource: key, resourceSelfArns: ['*'], conditions });
  }
  // Any other key in the grantee's policy only; an imported alias by the keys that carry it.
  return grantInIdentityPolicy(key, grantee, actions, conditions);
}
