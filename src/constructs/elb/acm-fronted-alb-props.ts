import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';

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
   * Write access logs at all. Access logs need the stack's Region: in an environment-agnostic stack,
   * pass `false` (or give the stack an env with a region).
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
