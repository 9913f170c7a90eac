import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { IConstruct } from 'constructs';
import { isResourceReference } from '../../engine/resource-reference';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { field, readList, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { templateTypeOf } from '../../private/cdk-internals';

/**
 * Whether a resource is the custom resource of aws-cdk-lib's `DnsValidatedCertificate`, which
 * requests a certificate from ACM and returns its ARN.
 */
function requestsAcmCertificate(resource: IConstruct): boolean {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- only recognized, never created
  return resource.node.scopes.some(scope => scope instanceof acm.DnsValidatedCertificate);
}

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
        const type = templateTypeOf(arn.target);
        if (type === 'AWS::CertificateManager::Certificate' || requestsAcmCertificate(arn.target)) {
          continue;
        }
        if (type === 'AWS::IAM::ServerCertificate') {
          return nonCompliant(`Certificate ${arn.toJSON()} is an IAM server certificate, not an ACM certificate`, 'Properties.Certificates');
        }
        // A custom resource (or another type) may return whatever certificate ARN: only the deployment tells.
        return unresolvable(`Certificate ${arn.toJSON()} is an attribute of a ${type}, which the template does not say is an ACM certificate`,
          'Properties.Certificates');
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
