import { FindingLevel, RuleService } from '../../gate/levels';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../rule';
import { bucketWideDenies, conditionValue } from './bucket-policy-statements';

const LOCATION = 'Properties.PolicyDocument';

/** CEG-S3-2: the bucket policy denies every request made without TLS. */
export const bucketTlsOnly: Rule = {
  id: 'CEG-S3-2',
  service: RuleService.S3,
  title: 'S3 buckets deny requests without TLS (aws:SecureTransport false) for the bucket and its objects',
  rationale:
    'S3 accepts plain HTTP unless the bucket policy refuses it: objects and credentials then cross the network unencrypted. '
    + 'The Deny must cover the bucket and its objects, for every principal.',
  fix: 'Set `enforceSSL: true` on the bucket (or use `EncryptedBucket`); on an L1, add a bucket policy statement that denies `s3:*` to `*` on '
    + 'the bucket ARN and `ARN/*` when `aws:SecureTransport` is false.',
  resourceTypes: ['AWS::S3::Bucket'],
  defaultLevel: FindingLevel.ERROR,

  check(bucket, context) {
    const statements = bucketWideDenies(context, bucket);
    if (!statements.known) {
      return unresolvable(statements.why, LOCATION);
    }
    const denies = statements.value.denies.some(s => [false, 'false'].includes(conditionValue(s, 'Bool', 'aws:SecureTransport') as boolean | string));
    if (denies) {
      return COMPLIANT;
    }
    return nonCompliant(statements.value.all.length === 0
      ? 'No bucket policy applies to the bucket, so requests without TLS are accepted'
      : 'No statement of the bucket policy denies s3:* to every principal on the bucket and its objects when aws:SecureTransport is false', LOCATION);
  },
};
