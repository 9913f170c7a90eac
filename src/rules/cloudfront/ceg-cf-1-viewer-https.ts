import { distributionConfig } from './distribution-config';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { field, readList, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const HTTPS = ['redirect-to-https', 'https-only'];

/** CEG-CF-1: every cache behaviour of a distribution serves viewers over HTTPS only. */
export const viewerHttps: Rule = {
  id: 'CEG-CF-1',
  service: RuleService.CLOUDFRONT,
  title: 'CloudFront distributions serve viewers over HTTPS only (`redirect-to-https` or `https-only` on every cache behaviour)',
  rationale:
    'With `allow-all`, CloudFront answers plain HTTP: content, cookies and authorization headers cross the network unencrypted, and a '
    + 'single cache behaviour left on `allow-all` opens its paths to it.',
  fix: 'Set `viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS` (or `HTTPS_ONLY`) on the default behaviour and on '
    + 'every additional behaviour; on an L1, set `ViewerProtocolPolicy` on `DefaultCacheBehavior` and each of `CacheBehaviors`.',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  defaultLevel: FindingLevel.ERROR,

  check(distribution) {
    const read = distributionConfig(distribution);
    if ('verdict' in read) {
      return read.verdict;
    }
    const base = 'Properties.DistributionConfig';
    const behaviours: Array<{ behaviour: unknown; location: string; name: string }> = [
      { behaviour: field(read.config, 'DefaultCacheBehavior'), location: `${base}.DefaultCacheBehavior`, name: 'The default cache behaviour' },
    ];
    const more = readList(field(read.config, 'CacheBehaviors'), 'DistributionConfig.CacheBehaviors');
    if (!more.known) {
      return unresolvable(more.why, `${base}.CacheBehaviors`);
    }
    for (const [i, behaviour] of (more.value ?? []).entries()) {
      const pattern = field(behaviour, 'PathPattern');
      behaviours.push({ behaviour, location: `${base}.CacheBehaviors.${i}`, name: `The cache behaviour for ${typeof pattern === 'string' ? `"${pattern}"` : `CacheBehaviors[${i}]`}` });
    }
    for (const { behaviour, location, name } of behaviours) {
      const at = `${location}.ViewerProtocolPolicy`;
      const policy = readString(field(behaviour, 'ViewerProtocolPolicy'), 'ViewerProtocolPolicy');
      if (!policy.known) {
        return unresolvable(policy.why, at);
      }
      if (policy.value === undefined || !HTTPS.includes(policy.value)) {
        return nonCompliant(`${name} has ViewerProtocolPolicy ${policy.value === undefined ? '(none)' : `"${policy.value}"`}, so viewers may use plain HTTP`, at);
      }
    }
    return COMPLIANT;
  },
};
