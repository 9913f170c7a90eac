import { isResourceReference } from '../../engine/resource-reference';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { field, readList, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { templateTypeOf } from '../../private/cdk-internals';

/** CEG-ELB-3 (warning): listener certificates come from ACM, not IAM server certificates. */
export const acmCertificate: Rule = {
  id: 'CEG-ELB-3',
  service: RuleService.ELB,
  title: 'Listener certificates come from ACM, not IAM server certificates',
  rationale:
    'ACM renews its certificates and keeps private keys out of your hands; an IAM server certificate is uploaded key material '
    + 'that expires unless someone replaces it in time.',
  fix: 'Use an `acm.Certificate` (validated through DNS) or import the certificate into ACM, and reference its ARN.',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerCertificate'],
  defaultLevel: FindingLevel.WARNING,

  check(listener) {
    const certificates = readList(listener.read('Certificates'), 'Certificates');
    if (!certificates.known) {
      return unresolvable(certificates.why, 'Properties.Certificates');
    }
    for (const certificate of certificates.value ?? []) {
      const arn = field(certificate, 'CertificateArn');
      if (isResourceReference(arn)) {
        if (templateTypeOf(arn.target) === 'AWS::CertificateManager::Certificate') {
          continue;
        }
        return nonCompliant(`Certificate ${arn.toJSON()} is not an ACM certificate`, 'Properties.Certificates');
      }
      const value = readString(arn, 'CertificateArn');
      if (!value.known) {
        return unresolvable(value.why, 'Properties.Certificates');
      }
      if (value.value !== undefined && value.value.split(':')[2] === 'iam') {
        return nonCompliant(`Certificate ${value.value} is an IAM server certificate`, 'Properties.Certificates');
      }
    }
    return COMPLIANT;
  },
};
