import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { allowServicePrincipalDelivery } from './access-log-delivery';
import { AcmFrontedAlbProps } from './acm-fronted-alb-props';
import { refuseInvalidProps } from './acm-fronted-alb-refusals';
import { acknowledgeDefaultSources, acknowledgeRedirectOnly } from './alb-checker-acknowledgements';
import { assertCdkVersion } from '../../private/cdk-version';
import { AccessLogBucket } from '../s3/access-log-bucket';

// The props live in their own file; they are exported from here too, where the construct's users
// have always imported them.
export { AcmFrontedAlbProps } from './acm-fronted-alb-props';

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
    refuseInvalidProps(this, props, sslPolicy);
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
        // A literal name, fully qualified: the record CDK would write, without reading the zone's
        // name (a zone imported by ID has none, and reading it throws).
        recordName: Token.isUnresolved(props.domainName) || props.domainName.endsWith('.') ? props.domainName : `${props.domainName}.`,
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
}
