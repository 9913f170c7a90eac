import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { field, readList, readObject } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const LOCATION = 'Properties.BucketEncryption.ServerSideEncryptionConfiguration';

/** CEG-S3-4: the bucket blocks SSE-C (customer-provided keys). */
export const bucketSseCBlocked: Rule = {
  id: 'CEG-S3-4',
  service: RuleService.S3,
  title: 'S3 buckets block SSE-C (BlockedEncryptionTypes includes SSE-C)',
  rationale:
    'With SSE-C a client brings its own key: S3 cannot decrypt the object without it, nothing records its use in KMS, and losing '
    + 'the key loses the data. Blocking it keeps every object under the bucket\'s own encryption.',
  fix: 'Set `blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C]` on the bucket (or use `EncryptedBucket`); on an L1, set '
    + '`BlockedEncryptionTypes.EncryptionType: [\'SSE-C\']` on each server-side encryption rule.',
  resourceTypes: ['AWS::S3::Bucket'],
  defaultLevel: FindingLevel.WARNING,

  check(bucket) {
    const encryption = readObject(bucket.read('BucketEncryption'), 'BucketEncryption');
    if (!encryption.known) {
      return unresolvable(encryption.why, LOCATION);
    }
    const rules = readList(field(encryption.value, 'ServerSideEncryptionConfiguration'), 'ServerSideEncryptionConfiguration');
    if (!rules.known) {
      return unresolvable(rules.why, LOCATION);
    }
    if ((rules.value ?? []).length === 0) {
      return nonCompliant('The bucket declares no server-side encryption rule, so SSE-C is not blocked', LOCATION);
    }
    for (const [i, rule] of (rules.value ?? []).entries()) {
      const types = readList(field(field(rule, 'BlockedEncryptionTypes'), 'EncryptionType'), 'BlockedEncryptionTypes.EncryptionType');
      if (!types.known) {
        return unresolvable(types.why, `${LOCATION}.${i}.BlockedEncryptionTypes`);
      }
      if (!(types.value ?? []).includes('SSE-C')) {
        return nonCompliant(`Server-side encryption rule ${i} does not block SSE-C`, `${LOCATION}.${i}.BlockedEncryptionTypes`);
      }
    }
    return COMPLIANT;
  },
};
