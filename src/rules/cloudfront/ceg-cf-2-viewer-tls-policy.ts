import { CERTIFICATE, distributionConfig } from './distribution-config';
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule, unresolvable } from '../../engine/rule';
import { field, readBoolean, readObject, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

/** Security policies that accept nothing below TLS 1.2 with today's ciphers (CloudFront Developer Guide, "Supported protocols and ciphers"). */
const MODERN = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

/** CEG-CF-2: a distribution with its own certificate has a TLSv1.2_2021 (or newer) security policy. */
export const viewerTlsPolicy: Rule = {
  id: 'CEG-CF-2',
  service: RuleService.CLOUDFRONT,
  title: 'CloudFront distributions with their own certificate accept viewers with TLSv1.2_2021 or newer (TLSv1.2_2025, TLSv1.3_2025)',
  rationale:
    'The security policy decides which TLS versions and ciphers viewers may use. Without MinimumProtocolVersion CloudFront uses TLSv1; '
    + 'TLSv1.1_2016 and TLSv1.2_2018/2019 still allow TLS 1.1 or weak CBC ciphers. TLS 1.0 and 1.1 are deprecated (RFC 8996).',
  fix: 'Set `minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021` (or `TLS_V1_2_2025`, `TLS_V1_3_2025`) on the '
    + 'distribution; on an L1, set `ViewerCertificate.MinimumProtocolVersion` with an ACM certificate and `SslSupportMethod: sni-only`.',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  defaultLevel: FindingLevel.ERROR,

  check(distribution) {
    const read = distributionConfig(distribution);
    if ('verdict' in read) {
      return read.verdict;
    }
    const certificate = readObject(field(read.config, 'ViewerCertificate'), 'DistributionConfig.ViewerCertificate');
    if (!certificate.known) {
      return unresolvable(certificate.why, CERTIFICATE);
    }
    if (certificate.value === undefined) {
      return NOT_APPLICABLE;
    }
    const byDefault = readBoolean(field(certificate.value, 'CloudFrontDefaultCertificate'), 'ViewerCertificate.CloudFrontDefaultCertificate');
    if (!byDefault.known) {
      return unresolvable(byDefault.why, `${CERTIFICATE}.CloudFrontDefaultCertificate`);
    }
    if (byDefault.value === true) {
      // The *.cloudfront.net certificate ignores MinimumProtocolVersion: CEG-CF-3 reports it.
      return NOT_APPLICABLE;
    }
    const location = `${CERTIFICATE}.MinimumProtocolVersion`;
    const version = readString(field(certificate.value, 'MinimumProtocolVersion'), 'ViewerCertificate.MinimumProtocolVersion');
    if (!version.known) {
      return unresolvable(version.why, location);
    }
    if (version.value === undefined) {
      return nonCompliant('The distribution sets no MinimumProtocolVersion, so CloudFront accepts viewers down to TLSv1', location);
    }
    if (!MODERN.includes(version.value)) {
      return nonCompliant(`The distribution's MinimumProtocolVersion ${version.value} accepts TLS below 1.2 or ciphers that TLSv1.2_2021 removed`, location);
    }
    return COMPLIANT;
  },
};
