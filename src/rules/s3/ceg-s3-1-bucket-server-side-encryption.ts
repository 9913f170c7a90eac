import { AWS_MANAGED_KEY_ALIASES } from '../../aws/managed-keys';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { field, readList, readObject, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { judgeCustomerManagedKey } from '../customer-managed-keys';

const LOCATION = 'Properties.BucketEncryption';
const ALGORITHMS: { [algorithm: string]: string } = {
  'AES256': 'SSE-S3',
  'aws:kms': 'SSE-KMS',
  'aws:kms:dsse': 'DSSE-KMS',
};

/**
 * CEG-S3-1: a bucket declares default server-side encryption.
 *
 * S3 encrypts new objects with SSE-S3 even when a bucket declares nothing, but then the template
 * does not say so: controls cannot prove it, and nothing stops a later change from weakening it.
 */
export const bucketServerSideEncryption: Rule = {
  id: 'CEG-S3-1',
  service: RuleService.S3,
  title: 'S3 buckets declare default server-side encryption (SSE-S3, SSE-KMS or DSSE-KMS; SSE-KMS or DSSE-KMS with `requireKmsForS3`, '
    + 'with a customer managed key with `requireCustomerManagedKeys`)',
  rationale:
    'S3 applies SSE-S3 to a bucket that declares nothing, but an undeclared default cannot be audited from the template, '
    + 'and only SSE-KMS with a customer managed key gives an audit trail of every use of the key.',
  fix: 'Set `encryption` on the bucket (`s3.BucketEncryption.KMS` with `encryptionKey`, `KMS_MANAGED`, `DSSE` or `S3_MANAGED`); '
    + 'on an L1, set `BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.SSEAlgorithm`.',
  resourceTypes: ['AWS::S3::Bucket'],
  defaultLevel: FindingLevel.ERROR,

  check(bucket, context) {
    const encryption = readObject(bucket.read('BucketEncryption'), 'BucketEncryption');
    if (!encryption.known) {
      return unresolvable(encryption.why, LOCATION);
    }
    if (encryption.value === undefined) {
      return nonCompliant('The bucket declares no BucketEncryption, so the template does not prove its objects are encrypted', LOCATION);
    }
    const location = `${LOCATION}.ServerSideEncryptionConfiguration`;
    const rules = readList(field(encryption.value, 'ServerSideEncryptionConfiguration'), 'BucketEncryption.ServerSideEncryptionConfiguration');
    if (!rules.known) {
      return unresolvable(rules.why, location);
    }
    if (rules.value === undefined || rules.value.length === 0) {
      return nonCompliant('BucketEncryption has no ServerSideEncryptionConfiguration rule', location);
    }
    for (const [i, rule] of rules.value.entries()) {
      const at = `${location}.${i}.ServerSideEncryptionByDefault.SSEAlgorithm`;
      const byDefault = readObject(field(rule, 'ServerSideEncryptionByDefault'), `${location}.${i}.ServerSideEncryptionByDefault`);
      if (!byDefault.known) {
        return unresolvable(byDefault.why, at);
      }
      const algorithm = readString(field(byDefault.value, 'SSEAlgorithm'), 'SSEAlgorithm');
      if (!algorithm.known) {
        return unresolvable(algorithm.why, at);
      }
      if (algorithm.value === undefined) {
        return nonCompliant(`ServerSideEncryptionConfiguration rule ${i} sets no ServerSideEncryptionByDefault.SSEAlgorithm`, at);
      }
      const kind = ALGORITHMS[algorithm.value];
      if (kind === undefined) {
        return nonCompliant(`SSEAlgorithm "${algorithm.value}" is not SSE-S3 (AES256), SSE-KMS (aws:kms) or DSSE-KMS (aws:kms:dsse)`, at);
      }
      if (context.settings.requireKmsForS3 && kind === 'SSE-S3') {
        const option = context.settings.requireCustomerManagedKeys ? 'requireCustomerManagedKeys' : 'requireKmsForS3';
        return nonCompliant(`The bucket uses SSE-S3 (AES256) but ${option} asks for SSE-KMS or DSSE-KMS, whose key use CloudTrail records`, at);
      }
      if (context.settings.requireCustomerManagedKeys && kind !== 'SSE-S3') {
        const verdict = judgeCustomerManagedKey(field(byDefault.value, 'KMSMasterKeyID'), 'The bucket',
          `${location}.${i}.ServerSideEncryptionByDefault.KMSMasterKeyID`, AWS_MANAGED_KEY_ALIASES.s3);
        if (verdict !== COMPLIANT) {
          return verdict;
        }
      }
    }
    return COMPLIANT;
  },
};
