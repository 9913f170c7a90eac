import { FindingLevel, RuleService } from '../../gate/levels';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../rule';
import { bucketWideDenies, conditionValue } from './bucket-policy-statements';

/** CEG-S3-3: the bucket policy denies TLS versions below 1.2. */
export const bucketMinimumTls: Rule = {
  id: 'CEG-S3-3',
  service: RuleService.S3,
  title: 'S3 buckets deny TLS versions below 1.2 (s3:TlsVersion)',
  rationale:
    'TLS 1.0 and 1.1 are deprecated (RFC 8996). S3 still negotiates them with old clients unless the bucket policy denies '
    + '`s3:TlsVersion` below 1.2.',
  fix: 'Set `minimumTLSVersion: 1.2` (with `enforceSSL: true`) on the bucket, or use `EncryptedBucket`; on an L1, deny `s3:*` when '
    + '`NumericLessThan: { s3:TlsVersion: 1.2 }`.',
  resourceTypes: ['AWS::S3::Bucket'],
  defaultLevel: FindingLevel.WARNING,

  check(bucket, context) {
    const statements = bucketWideDenies(context, bucket);
    if (!statements.known) {
      return unresolvable(statements.why, 'Properties.PolicyDocument');
    }
    const minimum = statements.value.denies
      .map(s => Number(conditionValue(s, 'NumericLessThan', 's3:TlsVersion')))
      .filter(v => !Number.isNaN(v));
    if (minimum.some(v => v >= 1.2)) {
      return COMPLIANT;
    }
    return nonCompliant(minimum.length > 0
      ? `The bucket policy denies only TLS versions below ${Math.max(...minimum)}, so clients may still use TLS below 1.2`
      : 'No statement of the bucket policy denies TLS versions below 1.2', 'Properties.PolicyDocument');
  },
};
