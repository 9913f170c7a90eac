import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { AcmFrontedAlbProps } from './acm-fronted-alb-props';
import { isTls12MinimumPolicy } from '../../aws/elb-tls-policies';
import { arnSegment, DEPLOY_REGION, literalTextOf } from '../../aws/literal-text';
import { validationError } from '../../private/errors';
import { spelledRegionOf } from '../../private/regions';
import { referencesIn } from '../../private/stack-references';
import { kmsDefaultEncryptionOf } from '../s3/log-target';

/**
 * Throws, naming the prop and the fix, for props that would leave the load balancer unreachable,
 * its certificate unissued or in another Region, or its TLS below 1.2.
 */
export function refuseInvalidProps(scope: Construct, props: AcmFrontedAlbProps, sslPolicy: elbv2.SslPolicy): void {
  const error = (message: string) => validationError('InvalidAcmFrontedAlb', `AcmFrontedAlb "${scope.node.id}": ${message}`, scope);
  if (props.allowedSources !== undefined && props.allowedSources.length === 0) {
    throw error('allowedSources is empty, so nothing could reach the load balancer. Leave it unset (any IPv4 address when internetFacing, '
      + 'the VPC\'s CIDR block when not), or name at least one source.');
  }
  if (props.hostedZone === undefined && props.certificate === undefined) {
    throw error('give hostedZone (a DNS-validated certificate is created in it) or an existing certificate.');
  }
  if (props.certificate !== undefined && props.subjectAlternativeNames !== undefined) {
    throw error('subjectAlternativeNames applies to a created certificate; the given certificate already has its names.');
  }
  const zoneName = literalZoneName(props.hostedZone);
  if (zoneName !== undefined) {
    for (const [prop, name] of [['domainName', props.domainName], ...(props.subjectAlternativeNames ?? []).map(n => ['subjectAlternativeNames', n])]) {
      if (!Token.isUnresolved(name) && !isInZone(name, zoneName)) {
        throw error(`${prop} "${name}" is not in hostedZone ${zoneName}: DNS validation records and the alias record would be written `
          + `under the wrong name, and the certificate would never be issued. Use a name that ends in ${zoneName}, or the zone of that name.`);
      }
    }
  }
  if (!isTls12MinimumPolicy(sslPolicy)) {
    throw error(`sslPolicy ${sslPolicy} accepts TLS below 1.2 (or is not a known TLS 1.2+ policy). `
      + 'Leave it unset (ELBSecurityPolicy-TLS13-1-2-PQ-2025-09) or choose a TLS13-1-2 or TLS13-1-3 policy.');
  }
  if (props.tls13Only && props.sslPolicy !== undefined && !props.sslPolicy.includes('TLS13-1-3')) {
    throw error(`tls13Only is true but sslPolicy ${props.sslPolicy} also accepts TLS 1.2.`);
  }
  if ((props.accessLogs ?? true) && Token.isUnresolved(Stack.of(scope).region)) {
    // aws-cdk-lib's logAccessLogs needs the Region (for the Regions whose ELB account writes the logs).
    throw error('access logs need the stack\'s Region, and this stack has none (it is environment-agnostic). Give the stack an env '
      + 'with a region, or pass accessLogs: false.');
  }
  const logs = props.accessLogsBucket;
  if (logs !== undefined && (logs.encryptionKey !== undefined || kmsDefaultEncryptionOf(logs) !== undefined)) {
    throw error(`accessLogsBucket ${logs.node.path} encrypts with a KMS key, but ALB access log delivery supports SSE-S3 only, `
      + 'so no log would arrive. Leave accessLogsBucket unset (an AccessLogBucket is made), or pass an AccessLogBucket or another SSE-S3 bucket.');
  }
  const [logRegion, here] = [logs === undefined ? undefined : spelledRegionOf(logs), Stack.of(scope).region];
  if (logRegion !== undefined && !Token.isUnresolved(here) && logRegion !== here) {
    throw error(`accessLogsBucket ${logs!.node.path} is in Region ${logRegion}, but the load balancer is in ${here}: Elastic Load Balancing `
      + `writes access logs only to a bucket of its own Region. Leave accessLogsBucket unset (an AccessLogBucket is made), or pass one of ${here}.`);
  }
  if (props.certificate !== undefined) {
    refuseUnusableCertificate(props.certificate, Stack.of(scope), error);
  }
}

/**
 * Refuses an IAM server certificate, and an ACM certificate of another account or Region, which an
 * ALB cannot use. Where it is: from its ARN's literal text (also one built around a token ID); else,
 * for a certificate of another stack of the app (its ARN read across stacks), from that stack's
 * environment; a DnsValidatedCertificate requests its certificate in its own `region`.
 */
function refuseUnusableCertificate(certificate: acm.ICertificate, stack: Stack, error: (message: string) => Error): void {
  const arn = certificate.certificateArn;
  const token = Token.isUnresolved(arn);
  const text = token ? stack.resolve(arn) : arn;
  const name = token ? certificate.node.path : arn;
  if (arnSegment(text, 2) === 'iam') {
    throw error(`certificate ${name} is an IAM server certificate: use an ACM certificate, which renews itself.`);
  }
  const requested = requestedRegionOf(certificate);
  const home = token ? homeOf(certificate, requested !== undefined) : undefined;
  const places: Array<[string, string | undefined, string]> = [
    ['Region', requested ?? literal(arnSegment(text, 3)) ?? home?.region, stack.region],
    ['account', literal(arnSegment(text, 4)) ?? home?.account, stack.account],
  ];
  for (const [what, there, here] of places) {
    if (there !== undefined && !Token.isUnresolved(there) && !Token.isUnresolved(here) && there !== here) {
      throw error(`certificate ${name} is in ${what} ${there}, but the load balancer is in ${here}: `
        + 'an ALB can only use an ACM certificate of its own account and Region. Request or import it there.');
    }
  }
}

/**
 * The stack whose environment a certificate with a token ARN is in: the stack of the ACM certificate
 * its ARN refers to, also through an import (`Certificate.fromCertificateArn(this, ..., other.certificateArn)`);
 * a DnsValidatedCertificate's own (its account; its Region is its `region`); the certificate's own
 * when its ARN refers to nothing; `undefined` when it refers to another resource (a custom
 * resource, a parameter), which may return a certificate of any Region.
 */
function homeOf(certificate: acm.ICertificate, requested: boolean): { readonly region?: string; readonly account: string } | undefined {
  if (requested) {
    return certificate.stack;
  }
  const references = referencesIn(certificate.certificateArn);
  const issued = references.find(r => CfnResource.isCfnResource(r.target) && r.target.cfnResourceType === 'AWS::CertificateManager::Certificate');
  if (issued !== undefined) {
    return Stack.of(issued.target);
  }
  // The ARN a DnsValidatedCertificate's custom resource returns (also wrapped in an import) is of
  // the certificate it requests in its own `region`.
  for (const reference of references) {
    for (let scope: IConstruct | undefined = reference.target; scope !== undefined; scope = scope.node.scope) {
      const region = requestedRegionOf(scope);
      if (region !== undefined) {
        return { region, account: Stack.of(scope).account };
      }
    }
  }
  return references.length === 0 ? certificate.stack : undefined;
}

/**
 * The Region a DnsValidatedCertificate requests its certificate in: its `region`, else its stack's
 * (`undefined` for anything else).
 */
function requestedRegionOf(construct: IConstruct): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- only recognized, never created
  if (!(construct instanceof acm.DnsValidatedCertificate)) {
    return undefined;
  }
  const region = (construct as unknown as { region?: string }).region;
  const stack = Stack.of(construct);
  // No region, or `Aws.REGION`, is the Region of the stack that deploys it; a token may be a literal.
  const text = region === undefined ? DEPLOY_REGION : literalTextOf(stack.resolve(region));
  return text === DEPLOY_REGION ? stack.region : text ?? region;
}

/** An ARN segment spelled out, not a pseudo parameter or the stack's deploy-time Region. */
function literal(segment: string | undefined): string | undefined {
  return segment === undefined || segment === '' || segment === '*' || segment === DEPLOY_REGION ? undefined : segment;
}

/** The zone's name, without the trailing dot, when it is known at synthesis. */
function literalZoneName(zone: route53.IHostedZone | undefined): string | undefined {
  if (zone === undefined) {
    return undefined;
  }
  // Only a name the zone holds as a field: `HostedZone.fromHostedZoneId` has a getter that throws a
  // CDK error, and the `cdk` CLI records every CDK error made, caught or not, in error.txt.
  const name: unknown = Object.getOwnPropertyDescriptor(zone, 'zoneName')?.value;
  return typeof name !== 'string' || Token.isUnresolved(name) ? undefined : name.replace(/\.$/, '').toLowerCase();
}

/** Whether a domain name (`app.example.com`, `*.example.com`, `example.com`) lies in a zone. */
function isInZone(name: string, zone: string): boolean {
  const n = name.replace(/\.$/, '').replace(/^\*\./, '').toLowerCase();
  return n === zone || n.endsWith(`.${zone}`);
}
