import { Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { isTls12MinimumPolicy } from '../../aws/elb-tls-policies';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { acknowledgeOnResource, inCompliancePacks } from '../private/checker-acknowledgements';
import { AccessLogBucket } from '../s3/access-log-bucket';

/**
 * Properties of an `AcmFrontedAlb`.
 */
export interface AcmFrontedAlbProps {
  /** The VPC of the load balancer. */
  readonly vpc: ec2.IVpc;

  /** The domain name the load balancer serves, for example `app.example.com`. */
  readonly domainName: string;

  /**
   * The hosted zone of `domainName`: the certificate is validated through DNS records in it, and an
   * alias record points the domain at the load balancer. Required unless `certificate` is given.
   *
   * @default - no DNS records; `certificate` is required
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * An existing certificate for `domainName`, instead of creating one. It must be in the load
   * balancer's Region.
   *
   * @default - a DNS-validated ACM certificate is created in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Other names the created certificate covers (`www.example.com`).
   *
   * @default - none
   */
  readonly subjectAlternativeNames?: string[];

  /**
   * The security policy of the HTTPS listener. Policies that accept TLS 1.0 or 1.1 are refused.
   *
   * @default SslPolicy.TLS13_12_PQ (TLS 1.3 and 1.2, with post-quantum hybrid key exchange), or
   * SslPolicy.TLS13_13_PQ with `tls13Only`
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Accept TLS 1.3 only (older clients fail to connect).
   *
   * @default false
   */
  readonly tls13Only?: boolean;

  /**
   * Listen on port 80 and redirect every request to HTTPS (301). With `false`, nothing listens on 80.
   *
   * @default true
   */
  readonly redirectHttp?: boolean;

  /**
   * Whether the load balancer is reachable from the internet.
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * Where the load balancer accepts connections from, on 443 (and on 80 for the redirect).
   *
   * @default - any IPv4 address when `internetFacing` (the default); the VPC's CIDR block when not
   */
  readonly allowedSources?: ec2.IPeer[];

  /**
   * Where access logs go; it must use SSE-S3 (load balancers cannot write to SSE-KMS buckets).
   *
   * @default - an `AccessLogBucket` is created
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Write access logs at all.
   *
   * @default true
   */
  readonly accessLogs?: boolean;

  /**
   * Forward to targets over HTTPS (end-to-end encryption) unless `addTargets` says otherwise.
   *
   * @default false
   */
  readonly httpsToTargets?: boolean;
}

/**
 * An Application Load Balancer that serves a domain over TLS with a DNS-validated ACM certificate:
 * an HTTPS listener on 443 with a TLS 1.3 security policy (post-quantum hybrid key exchange, TLS 1.2
 * still served), an HTTP listener on 80 that only redirects to HTTPS, invalid header fields dropped,
 * the strictest desync mitigation, a security group open on 443 (and 80) only, access logs in an
 * SSE-S3, TLS-only, private bucket, and an alias record for the domain.
 *
 * @example
 * import { AcmFrontedAlb } from 'cdk-encryption-guard';
 *
 * const web = new AcmFrontedAlb(this, 'Web', { vpc, domainName: 'app.example.com', hostedZone });
 * web.addTargets('App', { port: 8080, targets: [autoScalingGroup] });
 */
export class AcmFrontedAlb extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The HTTPS listener (port 443). */
  public readonly httpsListener: elbv2.ApplicationListener;
  /** The certificate the HTTPS listener presents. */
  public readonly certificate: acm.ICertificate;
  /**
   * The HTTP listener that redirects to HTTPS.
   *
   * @default - none with `redirectHttp: false`
   */
  public readonly httpListener?: elbv2.ApplicationListener;
  /**
   * The bucket access logs are written to.
   *
   * @default - none with `accessLogs: false`
   */
  public readonly accessLogsBucket?: s3.IBucket;
  private readonly httpsToTargets: boolean;

  constructor(scope: Construct, id: string, props: AcmFrontedAlbProps) {
    assertCdkVersion('constructs');
    super(scope, id);
    const sslPolicy = props.sslPolicy ?? (props.tls13Only ? elbv2.SslPolicy.TLS13_13_PQ : elbv2.SslPolicy.TLS13_12_PQ);
    this.refuse(props, sslPolicy);
    this.httpsToTargets = props.httpsToTargets ?? false;

    this.certificate = props.certificate ?? new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });

    const redirect = props.redirectHttp ?? true;
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, description: `HTTPS${redirect ? ' and the HTTP redirect' : ''} to ${props.domainName}`, allowAllOutbound: false,
    });
    const internetFacing = props.internetFacing ?? true;
    // An internal load balancer is reached from its VPC unless told otherwise.
    const sources = props.allowedSources ?? [internetFacing ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(props.vpc.vpcCidrBlock)];
    for (const source of sources) {
      securityGroup.addIngressRule(source, ec2.Port.tcp(443), 'HTTPS');
      if (redirect) {
        securityGroup.addIngressRule(source, ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
      }
    }
    if (props.allowedSources === undefined) {
      acknowledgeDefaultSources(securityGroup, internetFacing);
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing,
      securityGroup,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
    });
    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [this.certificate], sslPolicy, open: false,
    });
    if (redirect) {
      this.httpListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      acknowledgeRedirectOnly(this.httpListener);
    }
    if (props.accessLogs ?? true) {
      this.accessLogsBucket = props.accessLogsBucket ?? new AccessLogBucket(this, 'AccessLogs');
      this.loadBalancer.logAccessLogs(this.accessLogsBucket, id);
      allowServicePrincipalDelivery(this.loadBalancer, this.accessLogsBucket, id);
    }
    if (props.hostedZone !== undefined) {
      new route53.ARecord(this, 'Alias', {
        zone: props.hostedZone,
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }
  }

  /**
   * Adds targets behind the HTTPS listener. With `httpsToTargets`, they are reached over HTTPS
   * unless `props.protocol` says otherwise.
   */
  public addTargets(id: string, props: elbv2.AddApplicationTargetsProps): elbv2.ApplicationTargetGroup {
    return this.httpsListener.addTargets(id, {
      ...props,
      protocol: props.protocol ?? (this.httpsToTargets ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP),
    });
  }

  private refuse(props: AcmFrontedAlbProps, sslPolicy: elbv2.SslPolicy): void {
    const error = (message: string) => validationError('InvalidAcmFrontedAlb', `AcmFrontedAlb "${this.node.id}": ${message}`, this);
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
    const arn = props.certificate?.certificateArn;
    if (arn !== undefined && !Token.isUnresolved(arn)) {
      const [, , service, certificateRegion] = arn.split(':');
      if (service === 'iam') {
        throw error(`certificate ${arn} is an IAM server certificate: use an ACM certificate, which renews itself.`);
      }
      const region = Stack.of(this).region;
      if (!Token.isUnresolved(region) && certificateRegion !== region) {
        throw error(`certificate ${arn} is in ${certificateRegion}, but the load balancer is in ${region}: `
          + 'an ALB can only use an ACM certificate of its own Region. Request or import it there.');
      }
    }
  }
}

/**
 * In the Regions that existed before August 2022, aws-cdk-lib's `logAccessLogs` lets only that
 * Region's Elastic Load Balancing account write the logs. AWS documents the log delivery service
 * principal (`logdelivery.elasticloadbalancing.amazonaws.com`) for those Regions too, and recommends
 * it: let it write under the same path, so delivery (and the test object ELB writes when access logs
 * are turned on) works whichever of the two ELB uses. The path names this account
 * (`<prefix>/AWSLogs/<account>/`), which is where ELB writes the logs of this account's load balancers.
 */
function allowServicePrincipalDelivery(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(loadBalancer);
  if (Token.isUnresolved(stack.region) || RegionInfo.get(stack.region).elbv2Account === undefined) {
    // aws-cdk-lib already names the service principal (newer Regions), or refuses an unknown Region.
    return;
  }
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
  }));
}

/**
 * The default sources are open on 443 and 80 only: to the internet for an internet-facing load
 * balancer (which is what it is for), to the VPC's own CIDR block for an internal one. The
 * acknowledgement holds only while the group's inbound rules are exactly ours.
 */
function acknowledgeDefaultSources(securityGroup: ec2.SecurityGroup, internetFacing: boolean): void {
  const cfn = securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
  const stack = Stack.of(securityGroup);
  const ours = JSON.stringify(stack.resolve(cfn.securityGroupIngress));
  const groupId = JSON.stringify(stack.resolve(securityGroup.securityGroupId));
  const unchanged = () => JSON.stringify(stack.resolve(cfn.securityGroupIngress)) === ours
    && !stack.node.findAll().some(c => c instanceof ec2.CfnSecurityGroupIngress && JSON.stringify(stack.resolve(c.groupId)) === groupId);
  if (internetFacing) {
    acknowledgeOnResource(cfn, ['AwsSolutions-EC23'],
      'An internet-facing load balancer serves a public domain: HTTPS on 443 (and, on 80, only a redirect to HTTPS) must be reachable from any '
      + 'address. No other port is open. Narrow it with allowedSources.', unchanged);
  } else {
    acknowledgeOnResource(cfn, ['AwsSolutions-EC23', ...inCompliancePacks('EC2RestrictedCommonPorts'), ...inCompliancePacks('EC2RestrictedSSH')],
      'The only source is the VPC\'s own CIDR block (Fn::GetAtt VpcCidrBlock), on ports 443 and 80: not 0.0.0.0/0. The checker cannot resolve '
      + 'the attribute at synthesis and reports its own failure instead.', unchanged);
  }
}

/**
 * The HTTP listener only redirects to HTTPS (301): no request is served over it, so it needs no
 * certificate. The acknowledgement holds only while that is so: a listener rule that forwards or
 * answers over HTTP, or another default action, brings the checker's finding back.
 */
function acknowledgeRedirectOnly(listener: elbv2.ApplicationListener): void {
  const cfn = listener.node.defaultChild as elbv2.CfnListener;
  const stack = Stack.of(listener);
  const onlyRedirects = (actions: unknown) => Array.isArray(actions) && actions.length > 0
    && actions.every((a: { type?: string; redirectConfig?: { protocol?: string } }) => a.type === 'redirect' && a.redirectConfig?.protocol === 'HTTPS');
  const redirectOnly = () => {
    const self = JSON.stringify(stack.resolve(listener.listenerArn));
    const rules = stack.node.findAll().filter((c): c is elbv2.CfnListenerRule => c instanceof elbv2.CfnListenerRule
      && JSON.stringify(stack.resolve(c.listenerArn)) === self);
    return onlyRedirects(stack.resolve(cfn.defaultActions)) && (stack.resolve(cfn.certificates) ?? []).length === 0
      && rules.every(r => onlyRedirects(stack.resolve(r.actions)));
  };
  acknowledgeOnResource(cfn, inCompliancePacks('ELBv2ACMCertificateRequired'),
    'This listener only redirects every request to HTTPS on 443 (HTTP 301): it serves no content, so there is nothing for a certificate to protect. '
    + 'The HTTPS listener has the ACM certificate.', redirectOnly);
}

/** The zone's name, without the trailing dot, when it is known at synthesis. */
function literalZoneName(zone: route53.IHostedZone | undefined): string | undefined {
  if (zone === undefined) {
    return undefined;
  }
  let name: string;
  try {
    name = zone.zoneName;
  } catch {
    // HostedZone.fromHostedZoneId has no name.
    return undefined;
  }
  return Token.isUnresolved(name) ? undefined : name.replace(/\.$/, '').toLowerCase();
}

/** Whether a domain name (`app.example.com`, `*.example.com`, `example.com`) lies in a zone. */
function isInZone(name: string, zone: string): boolean {
  const n = name.replace(/\.$/, '').replace(/^\*\./, '').toLowerCase();
  return n === zone || n.endsWith(`.${zone}`);
}
