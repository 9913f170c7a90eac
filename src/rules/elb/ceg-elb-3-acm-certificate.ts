import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { IConstruct } from 'constructs';
import { isResourceReference } from '../../engine/resource-reference';
import { COMPLIANT, nonCompliant, Rule, unresolvable, Verdict } from '../../engine/rule';
import { field, known, readList, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { templateTypeOf } from '../../private/cdk-internals';
import { keyText } from '../customer-managed-keys';

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
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerCertificate', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  defaultLevel: FindingLevel.WARNING,

  check(resource) {
    if (resource.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
      // A Classic Load Balancer names one certificate per listener.
      const listeners = readList(resource.read('Listeners'), 'Listeners');
      if (!listeners.known) {
        return unresolvable(listeners.why, 'Properties.Listeners');
      }
      return judgeCertificates((listeners.value ?? []).map(listener => field(listener, 'SSLCertificateId')), 'Properties.Listeners', 'SSLCertificateId');
    }
    const certificates = readList(resource.read('Certificates'), 'Certificates');
    if (!certificates.known) {
      return unresolvable(certificates.why, 'Properties.Certificates');
    }
    return judgeCertificates((certificates.value ?? []).map(certificate => field(certificate, 'CertificateArn')), 'Properties.Certificates', 'CertificateArn');
  },
};

/** The first certificate ARN that is not known to be ACM's decides; `what` names the property for messages. */
function judgeCertificates(arns: unknown[], location: string, what: string): Verdict {
  for (const arn of arns) {
    if (isResourceReference(arn)) {
      const type = templateTypeOf(arn.target);
      if (type === 'AWS::CertificateManager::Certificate' || requestsAcmCertificate(arn.target)) {
        continue;
      }
      if (type === 'AWS::IAM::ServerCertificate') {
        return nonCompliant(`Certificate ${arn.toJSON()} is an IAM server certificate, not an ACM certificate`, location);
      }
      // A custom resource (or another type) may return whatever certificate ARN: only the deployment tells.
      return unresolvable(`Certificate ${arn.toJSON()} is an attribute of a ${type}, which the template does not say is an ACM certificate`, location);
    }
    // An ARN joined from literals and pseudo parameters (what `Stack.formatArn` renders) names its service.
    const text = keyText(arn);
    const value = text !== undefined ? known(text) : readString(arn, what);
    if (!value.known) {
      return unresolvable(value.why, location);
    }
    if (value.value !== undefined && value.value.split(':')[2] === 'iam') {
      return nonCompliant(`Certificate ${value.value} is an IAM server certificate`, location);
    }
  }
  return COMPLIANT;
}
