import { CERTIFICATE, distributionConfig } from './distribution-config';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { field, readBoolean, readObject, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

/**
 * CEG-CF-3: a distribution does not serve viewers with the default `*.cloudfront.net`
 * certificate, whose security policy is always TLSv1 — unless the finding is acknowledged.
 */
export const defaultCertificate: Rule = {
  id: 'CEG-CF-3',
  service: RuleService.CLOUDFRONT,
  title: 'CloudFront distributions do not rely on the default *.cloudfront.net certificate, which accepts TLS 1.0 (acknowledge where intended)',
  rationale:
    'With the default certificate CloudFront uses the TLSv1 security policy whatever MinimumProtocolVersion says: viewers may connect with '
    + 'TLS 1.0 and 1.1. Only a distribution with its own (ACM) certificate can require TLS 1.2.',
  fix: 'Give the distribution `domainNames` and an ACM `certificate` (in us-east-1) with `minimumProtocolVersion: TLS_V1_2_2021` or newer; '
    + 'where the `*.cloudfront.net` name is intended (a test distribution), acknowledge the finding with `Validations.of(distribution)'
    + '.acknowledge({ id: \'CEG-CF-3\', reason })`.',
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
      return nonCompliant('The distribution has no ViewerCertificate, so it serves the default *.cloudfront.net certificate with the TLSv1 security policy', CERTIFICATE);
    }
    const byDefault = readBoolean(field(certificate.value, 'CloudFrontDefaultCertificate'), 'ViewerCertificate.CloudFrontDefaultCertificate');
    if (!byDefault.known) {
      return unresolvable(byDefault.why, `${CERTIFICATE}.CloudFrontDefaultCertificate`);
    }
    if (byDefault.value === true) {
      return nonCompliant('The distribution uses the default *.cloudfront.net certificate (CloudFrontDefaultCertificate), whose security policy is always TLSv1', `${CERTIFICATE}.CloudFrontDefaultCertificate`);
    }
    for (const name of ['AcmCertificateArn', 'IamCertificateId']) {
      const value = readString(field(certificate.value, name), name);
      if (!value.known || value.value !== undefined) {
        // A certificate of its own (known or not: this rule only asks whether it is the default one).
        return COMPLIANT;
      }
    }
    return nonCompliant('The ViewerCertificate names neither an ACM nor an IAM certificate, so the distribution serves the default *.cloudfront.net certificate', CERTIFICATE);
  },
};
