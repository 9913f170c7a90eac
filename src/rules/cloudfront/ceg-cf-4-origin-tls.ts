import { distributionConfig } from './distribution-config';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, Verdict } from '../../engine/rule';
import { RuleContext, TargetSpec } from '../../engine/rule-context';
import { field, readList, readObject, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const OUTDATED = ['SSLv3', 'TLSv1', 'TLSv1.1'];
const VPC_ORIGIN: TargetSpec = { types: ['AWS::CloudFront::VpcOrigin'], noun: 'CloudFront VPC origin' };

/**
 * CEG-CF-4: a distribution reaches its custom and VPC origins over HTTPS only, with TLS 1.2
 * (custom origins in `Origins` and the legacy `CustomOrigin`). S3 bucket origins (`S3OriginConfig`,
 * the legacy `S3Origin`) are reached with the viewer's protocol, which CEG-CF-1 makes HTTPS.
 */
export const originTls: Rule = {
  id: 'CEG-CF-4',
  service: RuleService.CLOUDFRONT,
  title: 'CloudFront distributions reach custom and VPC origins over HTTPS only (`https-only`), with TLSv1.2 and no SSLv3, TLSv1 or TLSv1.1',
  rationale:
    'HTTPS from viewers protects only half the path: with `http-only` CloudFront forwards requests to the origin in plain HTTP, and with '
    + '`match-viewer` (a VPC origin\'s default) whenever a cache behaviour that routes to it lets viewers in over HTTP, now or after a later '
    + 'change. The rule asks for `https-only`, so that the origin\'s protection does not hang on every behaviour: stricter than AWS Config\'s '
    + '`cloudfront-traffic-to-origin-encrypted`, which accepts `match-viewer` behind HTTPS-only behaviours. OriginSSLProtocols that include '
    + 'SSLv3, TLSv1 or TLSv1.1 let it negotiate a deprecated protocol with the origin.',
  fix: 'Use `HttpOrigin`/`LoadBalancerV2Origin` with `protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY` and `originSslProtocols: '
    + '[OriginSslPolicy.TLS_V1_2]` (the same on a `VpcOrigin`); on an L1, set `CustomOriginConfig.OriginProtocolPolicy: https-only` and '
    + '`OriginSSLProtocols: [TLSv1.2]` (the same on the legacy `DistributionConfig.CustomOrigin`).',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  defaultLevel: FindingLevel.ERROR,

  check(distribution, context) {
    const read = distributionConfig(distribution);
    if ('verdict' in read) {
      return read.verdict;
    }
    // The legacy shape (DistributionConfig.CustomOrigin, still accepted by CloudFormation) is a custom
    // origin like those in Origins, with the same OriginProtocolPolicy and OriginSSLProtocols.
    const legacyAt = 'Properties.DistributionConfig.CustomOrigin';
    const legacy = readObject(field(read.config, 'CustomOrigin'), 'DistributionConfig.CustomOrigin');
    if (!legacy.known) {
      return unresolvable(legacy.why, legacyAt);
    }
    if (legacy.value !== undefined) {
      const dns = field(legacy.value, 'DNSName');
      const verdict = judgeEndpoint(legacy.value, `The legacy CustomOrigin${typeof dns === 'string' ? ` "${dns}"` : ''}`, legacyAt);
      if (verdict !== COMPLIANT) {
        return verdict;
      }
    }
    const base = 'Properties.DistributionConfig.Origins';
    const origins = readList(field(read.config, 'Origins'), 'DistributionConfig.Origins');
    if (!origins.known) {
      return unresolvable(origins.why, base);
    }
    for (const [i, origin] of (origins.value ?? []).entries()) {
      const id = field(origin, 'Id');
      const name = `Origin ${typeof id === 'string' ? `"${id}"` : `Origins[${i}]`}`;
      const custom = readObject(field(origin, 'CustomOriginConfig'), `Origins.${i}.CustomOriginConfig`);
      if (!custom.known) {
        return unresolvable(custom.why, `${base}.${i}.CustomOriginConfig`);
      }
      if (custom.value !== undefined) {
        const verdict = judgeEndpoint(custom.value, name, `${base}.${i}.CustomOriginConfig`);
        if (verdict !== COMPLIANT) {
          return verdict;
        }
      }
      const vpc = readObject(field(origin, 'VpcOriginConfig'), `Origins.${i}.VpcOriginConfig`);
      if (!vpc.known) {
        return unresolvable(vpc.why, `${base}.${i}.VpcOriginConfig`);
      }
      if (vpc.value !== undefined) {
        const verdict = judgeVpcOrigin(distribution, context, i, name, `${base}.${i}.VpcOriginConfig`);
        if (verdict !== COMPLIANT) {
          return verdict;
        }
      }
    }
    return COMPLIANT;
  },
};

/** The VPC origin a distribution's origin names, judged by its endpoint configuration. */
function judgeVpcOrigin(distribution: ResourceView, context: RuleContext, i: number, name: string, location: string): Verdict {
  const target = context.target(distribution, ['DistributionConfig', 'Origins', String(i), 'VpcOriginConfig', 'VpcOriginId'], VPC_ORIGIN);
  if (!target.known) {
    return unresolvable(`${name} is a VPC origin whose settings cannot be judged: ${target.why}`, `${location}.VpcOriginId`);
  }
  const endpoint = target.value.object('VpcOriginEndpointConfig');
  if (!endpoint.known) {
    return unresolvable(`${name} is the VPC origin ${target.value.displayName}, and ${endpoint.why}`, `${location}.VpcOriginId`);
  }
  const verdict = judgeEndpoint(endpoint.value ?? {}, `${name} (VPC origin ${target.value.displayName})`, `${location}.VpcOriginId`, true);
  // The finding stays on the distribution: its location is the origin that leads to the VPC origin.
  return verdict.kind === 'non-compliant' || verdict.kind === 'unresolvable' ? { ...verdict, location: `${location}.VpcOriginId` } : verdict;
}

/** A custom origin's (or VPC origin endpoint's) protocol policy and TLS versions. */
function judgeEndpoint(config: { [key: string]: unknown }, name: string, location: string, vpc = false): Verdict {
  const policy = readString(field(config, 'OriginProtocolPolicy'), 'OriginProtocolPolicy');
  if (!policy.known) {
    return unresolvable(policy.why, `${location}.OriginProtocolPolicy`);
  }
  if (policy.value !== 'https-only') {
    // A VPC origin without a policy gets match-viewer; a custom origin must state one.
    const shown = policy.value !== undefined ? `"${policy.value}"` : vpc ? '(none, so "match-viewer")' : '(none)';
    return nonCompliant(`${name} has OriginProtocolPolicy ${shown}, so CloudFront may reach it over plain HTTP (it must be "https-only")`,
      `${location}.OriginProtocolPolicy`);
  }
  const protocols = readList(field(config, 'OriginSSLProtocols'), 'OriginSSLProtocols');
  if (!protocols.known) {
    return unresolvable(protocols.why, `${location}.OriginSSLProtocols`);
  }
  if (protocols.value === undefined || protocols.value.length === 0) {
    return nonCompliant(`${name} sets no OriginSSLProtocols, so the template does not limit CloudFront to TLSv1.2 with it`, `${location}.OriginSSLProtocols`);
  }
  for (const [j, item] of protocols.value.entries()) {
    const protocol = readString(item, `OriginSSLProtocols[${j}]`);
    if (!protocol.known) {
      return unresolvable(protocol.why, `${location}.OriginSSLProtocols`);
    }
    if (OUTDATED.includes(protocol.value ?? '')) {
      return nonCompliant(`${name} allows ${protocol.value} in OriginSSLProtocols`, `${location}.OriginSSLProtocols`);
    }
  }
  return COMPLIANT;
}
