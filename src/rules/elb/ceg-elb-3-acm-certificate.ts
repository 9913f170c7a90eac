import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { IConstruct } from 'constructs';
import { arnSegment, literalHead } from '../../aws/literal-text';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, Verdict } from '../../engine/rule';
import { RuleContext } from '../../engine/rule-context';
import { field, intrinsicName, JsonObject, readList, readString } from '../../engine/values';
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
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerCertificate', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  defaultLevel: FindingLevel.WARNING,

  check(resource, context) {
    // A Classic Load Balancer names one certificate per listener.
    const [list, what] = resource.type === 'AWS::ElasticLoadBalancing::LoadBalancer' ? ['Listeners', 'SSLCertificateId'] : ['Certificates', 'CertificateArn'];
    const entries = readList(resource.read(list), list);
    if (!entries.known) {
      return unresolvable(entries.why, `Properties.${list}`);
    }
    return judgeCertificates(resource, context, (entries.value ?? []).map(entry => field(entry, what)), [list, what]);
  },
};

/** The first certificate ARN that is not known to be ACM's decides; `path` is the list and the ARN's property. */
function judgeCertificates(resource: ResourceView, context: RuleContext, arns: unknown[], [list, what]: string[]): Verdict {
  const location = `Properties.${list}`;
  for (const found of arns) {
    let arn = found;
    const imported = intrinsicName(arn) === 'Fn::ImportValue' ? (arn as JsonObject)['Fn::ImportValue'] : undefined;
    if (typeof imported === 'string') {
      // An export of the app, in the listener's account and Region, says which certificate.
      const exported = context.exported(resource, imported);
      if (!exported.known) {
        return unresolvable(exported.why, location);
      }
      arn = exported.value;
    }
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
    // An ARN joined from literals and pseudo parameters (what `Stack.formatArn` renders) names its
    // service, also when a later part (the account, the certificate's ID) is known only at deploy time.
    const service = arnSegment(arn, 2);
    if (service === 'iam') {
      const head = literalHead(arn)!;
      return nonCompliant(`Certificate ${head.text}${head.complete ? '' : '...'} is an IAM server certificate`, location);
    }
    if (service !== undefined && service !== '*') {
      continue;
    }
    const value = readString(arn, what);
    if (!value.known) {
      return unresolvable(value.why, location);
    }
  }
  return COMPLIANT;
}
