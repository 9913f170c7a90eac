import { bucketPolicies, deniesBucketWide } from './bucket-policy-statements';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

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
    const policies = bucketPolicies(context, bucket);
    if (!policies.known) {
      return unresolvable(policies.why, LOCATION);
    }
    if (policies.value.length === 0) {
      return nonCompliant('No bucket policy applies to the bucket, so requests without TLS are accepted', 'Properties');
    }
    for (const applied of policies.value) {
      const denies = deniesBucketWide(applied, bucket, { 'aws:SecureTransport': 'false' });
      if (denies === undefined) {
        return unresolvable(`Whether ${applied.policy.displayName} denies requests without TLS depends on values known only at deploy time`, LOCATION);
      }
      if (!denies) {
        const several = policies.value.length > 1 ? ' (the bucket has several policies and the last one applied replaces the others, so each must)' : '';
        return nonCompliant(`The statements of ${applied.policy.displayName} do not deny s3:* to every principal on the bucket and on every object in it for every request without TLS (aws:SecureTransport false)${several}`, LOCATION);
      }
    }
    return COMPLIANT;
  },
};
