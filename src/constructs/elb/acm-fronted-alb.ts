import { Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { isTls12MinimumPolicy } from '../../aws/elb-tls-policies';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
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
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    if (redirect) {
      securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: props.internetFacing ?? true,
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
    }
    if (props.accessLogs ?? true) {
      this.accessLogsBucket = props.accessLogsBucket ?? new AccessLogBucket(this, 'AccessLogs');
      this.loadBalancer.logAccessLogs(this.accessLogsBucket, id);
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
