import { bucketPolicies, deniesBucketWide } from './bucket-policy-statements';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

const LOCATION = 'Properties.PolicyDocument';

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
    const policies = bucketPolicies(context, bucket);
    if (!policies.known) {
      return unresolvable(policies.why, LOCATION);
    }
    if (policies.value.length === 0) {
      return nonCompliant('No bucket policy applies to the bucket, so TLS versions below 1.2 are accepted', 'Properties');
    }
    for (const applied of policies.value) {
      for (const version of ['1.0', '1.1']) {
        const denies = deniesBucketWide(applied, bucket, { 'aws:SecureTransport': 'true', 's3:TlsVersion': version });
        if (denies === undefined) {
          return unresolvable(`Whether ${applied.policy.displayName} denies TLS ${version} depends on values known only at deploy time`, LOCATION);
        }
        if (!denies) {
          return nonCompliant(`The statements of ${applied.policy.displayName} do not deny s3:* to every principal on the bucket and on every object in it for requests over TLS ${version}`, LOCATION);
        }
      }
    }
    return COMPLIANT;
  },
};
