import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BucketEncryptionChoice, EncryptedBucketProps } from './encrypted-bucket-props';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { validationError } from '../../private/errors';
import { keyOfOtherRegion } from '../kms/key-regions';

/**
 * Throws, naming the prop, the value and the fix, for props that would weaken the bucket (see
 * `EncryptedBucketProps`).
 */
export function refuseWeakenings(scope: Construct, id: string, props: EncryptedBucketProps): void {
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
  const otherRegion = props.encryptionKey && keyOfOtherRegion('encryptionKey', props.encryptionKey, `bucket "${id}"`, Stack.of(scope).region);
  if (otherRegion !== undefined) {
    throw validationError('KeyInOtherRegion', `EncryptedBucket "${id}": ${otherRegion}`, scope);
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
export function replicationRulesFor(
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

/** Whether every one of the four Block Public Access settings is on. */
function blocksAll(block: s3.BlockPublicAccess): boolean {
  return [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets].every(b => b === true);
}
