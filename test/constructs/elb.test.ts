import { App, Aws, CfnElement, CfnParameter, CustomResource, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AcmFrontedAlb, EncryptedBucket, RuleService } from '../../src';
import { findingsAfterSynth, newApp, newStack } from '../support/app';

const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  Stack.of(construct as unknown as CfnElement).getLogicalId(construct.node.defaultChild as CfnElement);

function setup() {
  const app = newApp();
  const stack = newStack(app);
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
  return { app, stack, vpc, hostedZone };
}

describe('AcmFrontedAlb', () => {
  test('defaults, statement by statement: DNS-validated certificate, TLS 1.3 PQ policy, redirect, hardened ALB, logs, alias record', () => {
    const { stack, vpc, hostedZone } = setup();
    const web = new AcmFrontedAlb(stack, 'Web', { vpc, domainName: 'app.example.com', hostedZone });
    web.addTargets('App', { port: 8080 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789' }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09', Certificates: [{ CertificateArn: { Ref: idOf(web.certificate as acm.Certificate) } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    const groups = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^HTTPS') } });
    const ingress: any[] = (Object.values(groups)[0] as any).Properties.SecurityGroupIngress;
    expect(ingress.map(r => `${r.FromPort}-${r.ToPort} ${r.CidrIp}`)).toEqual(['443-443 0.0.0.0/0', '80-80 0.0.0.0/0']);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'app.example.com.', Type: 'A', AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, Protocol: 'HTTP' });
    expect(web.loadBalancer).toBeInstanceOf(elbv2.ApplicationLoadBalancer);
    expect(findingsAfterSynth(stack, { services: [RuleService.ELB, RuleService.S3] })).toEqual([]);
  });

  test('options: TLS 1.3 only, no port 80, an imported certificate in the Region, HTTPS to targets, no logs', () => {
    const { stack, vpc, hostedZone } = setup();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Imported', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    const web = new AcmFrontedAlb(stack, 'Web', {
      vpc, domainName: 'app.example.com', hostedZone, certificate, tls13Only: true, redirectHttp: false, httpsToTargets: true, accessLogs: false,
    });
    web.addTargets('App', { port: 8443 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09', Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc' }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8443, Protocol: 'HTTPS' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.not(Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }])),
    });
    expect(web.httpListener).toBeUndefined();
    expect(web.accessLogsBucket).toBeUndefined();
  });

  test('sources: the VPC\'s CIDR block when internal, allowedSources when given; an empty list is refused', () => {
    const { stack, vpc, hostedZone } = setup();
    new AcmFrontedAlb(stack, 'Internal', { vpc, domainName: 'internal.example.com', hostedZone, internetFacing: false }).addTargets('App', { port: 8080 });
    new AcmFrontedAlb(stack, 'Office', { vpc, domainName: 'office.example.com', hostedZone, redirectHttp: false, allowedSources: [ec2.Peer.ipv4('192.0.2.0/24')] })
      .addTargets('App', { port: 8080 });
    const template = Template.fromStack(stack);
    const rules = (domain: string) => {
      const groups = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp(`${domain}$`) } });
      return ((Object.values(groups)[0] as any).Properties.SecurityGroupIngress as any[]).map(r => `${r.FromPort} ${JSON.stringify(r.CidrIp)}`);
    };
    const vpcCidr = JSON.stringify({ 'Fn::GetAtt': [Stack.of(vpc).getLogicalId(vpc.node.defaultChild as CfnElement), 'CidrBlock'] });
    expect(rules('internal.example.com')).toEqual([`443 ${vpcCidr}`, `80 ${vpcCidr}`]);
    expect(rules('office.example.com')).toEqual(['443 "192.0.2.0/24"']);
    expect(() => new AcmFrontedAlb(stack, 'Nowhere', { vpc, domainName: 'x.example.com', hostedZone, allowedSources: [] }))
      .toThrow(/AcmFrontedAlb "Nowhere": allowedSources is empty, so nothing could reach the load balancer\. Leave it unset/);
  });

  test('refuses weak policies, a certificate from another Region or IAM, and a missing zone and certificate', () => {
    const { stack, vpc, hostedZone } = setup();
    const base = { vpc, domainName: 'app.example.com', hostedZone };
    const cases: Array<[object, RegExp]> = [
      [{ sslPolicy: elbv2.SslPolicy.RECOMMENDED }, /sslPolicy ELBSecurityPolicy-2016-08 accepts TLS below 1.2/],
      [{ sslPolicy: elbv2.SslPolicy.TLS13_10 }, /sslPolicy ELBSecurityPolicy-TLS13-1-0-2021-06 accepts TLS below 1.2/],
      [{ sslPolicy: elbv2.SslPolicy.TLS11 }, /accepts TLS below 1.2/],
      [{ tls13Only: true, sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS }, /tls13Only is true but sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 also accepts TLS 1.2/],
      [{ certificate: acm.Certificate.fromCertificateArn(stack, 'Virginia', 'arn:aws:acm:us-east-1:111111111111:certificate/x') }, /is in Region us-east-1, but the load balancer is in eu-west-1/],
      [{ certificate: acm.Certificate.fromCertificateArn(stack, 'Partner', 'arn:aws:acm:eu-west-1:222222222222:certificate/x') }, /is in account 222222222222, but the load balancer is in 111111111111/],
      // Literal up to an ID known only at deploy time.
      [{ certificate: acm.Certificate.fromCertificateArn(stack, 'PartnerId', `arn:aws:acm:eu-west-1:222222222222:certificate/${new CfnParameter(stack, 'CertId').valueAsString}`) },
        /certificate Stack\/PartnerId is in account 222222222222/],
      [{ accessLogsBucket: new s3.Bucket(stack, 'AwsManagedLogs', { encryption: s3.BucketEncryption.KMS_MANAGED }) }, /accessLogsBucket Stack\/AwsManagedLogs encrypts with a KMS key/],
      [{ accessLogsBucket: new s3.Bucket(stack, 'DsseLogs', { encryption: s3.BucketEncryption.DSSE_MANAGED }) }, /accessLogsBucket Stack\/DsseLogs encrypts with a KMS key/],
      [{ certificate: acm.Certificate.fromCertificateArn(stack, 'Iam', 'arn:aws:iam::111111111111:server-certificate/old') }, /is an IAM server certificate/],
      [{ hostedZone: undefined }, /give hostedZone .* or an existing certificate/],
      [{ accessLogsBucket: new EncryptedBucket(stack, 'KmsLogs', { serverAccessLogs: false }) },
        /accessLogsBucket Stack\/KmsLogs encrypts with a KMS key, but ALB access log delivery supports SSE-S3 only, so no log would arrive\. Leave accessLogsBucket unset/],
      [{ domainName: 'app.example.org' }, /domainName "app.example.org" is not in hostedZone example.com: DNS validation records and the alias record/],
      [{ domainName: 'badexample.com' }, /domainName "badexample.com" is not in hostedZone example.com/],
      [{ subjectAlternativeNames: ['www.example.com', 'www.other.net'] }, /subjectAlternativeNames "www.other.net" is not in hostedZone example.com/],
    ];
    // Names in the zone (the apex, a wildcard, deeper names) are accepted.
    new AcmFrontedAlb(stack, 'Apex', { ...base, domainName: 'example.com', subjectAlternativeNames: ['*.example.com', 'a.b.example.com'] });
    // SSE-S3 log buckets, and one defined elsewhere (its encryption unknown here), are accepted.
    new AcmFrontedAlb(stack, 'SseS3Logs', { ...base, accessLogsBucket: new s3.Bucket(stack, 'S3Logs', { encryption: s3.BucketEncryption.S3_MANAGED }) });
    new AcmFrontedAlb(stack, 'ImportedLogs', { ...base, accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Imported', 'central-alb-logs') });
    cases.forEach(([props, message], i) => expect(() => new AcmFrontedAlb(stack, `Bad${i}`, { ...base, ...props })).toThrow(message));
  });

  test('in an environment-agnostic stack, access logs are refused with the way out; accessLogs: false builds', () => {
    const stack = new Stack(newApp(), 'Agnostic');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
    expect(() => new AcmFrontedAlb(stack, 'Web', { vpc, domainName: 'app.example.com', hostedZone }))
      .toThrow(/AcmFrontedAlb "Web": access logs need the stack's Region, and this stack has none \(it is environment-agnostic\)\. Give the stack an env with a region, or pass accessLogs: false\./);
    const web = new AcmFrontedAlb(stack, 'Quiet', { vpc, domainName: 'quiet.example.com', hostedZone, accessLogs: false });
    web.addTargets('App', { port: 8080 });
    expect(web.accessLogsBucket).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
  });

  test('refuses a certificate of a stack in another Region, whose ARN is known only at deploy time', () => {
    const app = new App();
    const env = (region: string) => ({ account: '111111111111', region });
    const certificates = new Stack(app, 'Certs', { env: env('us-east-1'), crossRegionReferences: true });
    const zone = new route53.PublicHostedZone(certificates, 'Zone', { zoneName: 'example.com' });
    const virginia = new acm.Certificate(certificates, 'Cert', { domainName: 'shop.example.com', validation: acm.CertificateValidation.fromDns(zone) });
    const web = new Stack(app, 'Web', { env: env('eu-west-1'), crossRegionReferences: true });
    const vpc = new ec2.Vpc(web, 'Vpc', { natGateways: 0 });
    expect(() => new AcmFrontedAlb(web, 'Alb', { vpc, domainName: 'shop.example.com', certificate: virginia }))
      .toThrow(/AcmFrontedAlb "Alb": certificate Certs\/Cert is in Region us-east-1, but the load balancer is in eu-west-1: an ALB can only use an ACM certificate of its own account and Region/);
    // The same certificate imported into the load balancer's stack by its ARN: still in us-east-1.
    const wrapped = acm.Certificate.fromCertificateArn(web, 'Wrapped', virginia.certificateArn);
    expect(() => new AcmFrontedAlb(web, 'WrappedAlb', { vpc, domainName: 'shop.example.com', certificate: wrapped }))
      .toThrow(/certificate Web\/Wrapped is in Region us-east-1, but the load balancer is in eu-west-1/);
    // An ARN a custom resource of another Region's stack returns may name a certificate of any Region: accepted.
    const issued = new CustomResource(certificates, 'Issuer', { serviceToken: 'arn:aws:lambda:us-east-1:111111111111:function:issue' }).getAttString('Arn');
    expect(() => new AcmFrontedAlb(web, 'IssuedAlb', { vpc, domainName: 'shop.example.com', certificate: acm.Certificate.fromCertificateArn(web, 'Issued', issued) }))
      .not.toThrow();
    // A certificate ARN from a parameter of the load balancer's own stack: where it is, only the deployment tells.
    const fromParameter = acm.Certificate.fromCertificateArn(web, 'FromParameter', new CfnParameter(web, 'CertificateArn').valueAsString);
    expect(() => new AcmFrontedAlb(web, 'ParameterAlb', { vpc, domainName: 'shop.example.com', certificate: fromParameter })).not.toThrow();
    // Another account's certificate (read through its stack's output).
    const partner = new Stack(app, 'PartnerCerts', { env: { account: '222222222222', region: 'eu-west-1' } });
    const foreign = new acm.Certificate(partner, 'Cert', { domainName: 'shop.example.com' });
    expect(() => new AcmFrontedAlb(web, 'Foreign', { vpc, domainName: 'shop.example.com', certificate: foreign }))
      .toThrow(/certificate PartnerCerts\/Cert is in account 222222222222, but the load balancer is in 111111111111/);
    // A DnsValidatedCertificate requests its certificate in its `region`, whatever its stack's.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated construct is what is tested
      const requested = new acm.DnsValidatedCertificate(web, 'Requested', { domainName: 'shop.example.com', hostedZone: zone, region: 'us-east-1' });
      expect(() => new AcmFrontedAlb(web, 'Requester', { vpc, domainName: 'shop.example.com', certificate: requested }))
        .toThrow(/certificate Web\/Requested is in Region us-east-1, but the load balancer is in eu-west-1/);
      // Also through an import of its ARN (the custom resource's attribute), and from another stack.
      const wrappedRequest = acm.Certificate.fromCertificateArn(web, 'WrappedRequest', requested.certificateArn);
      expect(() => new AcmFrontedAlb(web, 'WrappedRequester', { vpc, domainName: 'shop.example.com', certificate: wrappedRequest }))
        .toThrow(/certificate Web\/WrappedRequest is in Region us-east-1, but the load balancer is in eu-west-1/);
      const inIreland = new Stack(app, 'RequestedInIreland', { env: env('eu-west-1') });
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated construct is what is tested
      const sameRegion = new acm.DnsValidatedCertificate(inIreland, 'Requested', { domainName: 'shop.example.com', hostedZone: zone, region: 'eu-west-1' });
      const wrappedHere = acm.Certificate.fromCertificateArn(web, 'WrappedHere', sameRegion.certificateArn);
      expect(() => new AcmFrontedAlb(web, 'WrappedHereRequester', { vpc, domainName: 'shop.example.com', certificate: wrappedHere })).not.toThrow();
      // Without `region`, it requests the certificate in its own stack's Region.
      const requestedInVirginia = new Stack(app, 'RequestedInVirginia', { env: env('us-east-1'), crossRegionReferences: true });
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated construct is what is tested
      const defaultRegion = new acm.DnsValidatedCertificate(requestedInVirginia, 'Requested', { domainName: 'shop.example.com', hostedZone: zone });
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated construct is what is tested
      const tokenRegion = new acm.DnsValidatedCertificate(requestedInVirginia, 'TokenRegion', { domainName: 'shop.example.com', hostedZone: zone, region: Aws.REGION });
      expect(() => new AcmFrontedAlb(web, 'TokenRegionRequester', { vpc, domainName: 'shop.example.com', certificate: tokenRegion }))
        .toThrow(/certificate RequestedInVirginia\/TokenRegion is in Region us-east-1/);
      // A token that is a literal once resolved.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated construct is what is tested
      const lazyRegion = new acm.DnsValidatedCertificate(web, 'LazyRegion', { domainName: 'shop.example.com', hostedZone: zone, region: Lazy.string({ produce: () => 'us-east-1' }) });
      expect(() => new AcmFrontedAlb(web, 'LazyRegionRequester', { vpc, domainName: 'shop.example.com', certificate: lazyRegion }))
        .toThrow(/certificate Web\/LazyRegion is in Region us-east-1/);
      expect(() => new AcmFrontedAlb(web, 'DefaultRegionRequester', { vpc, domainName: 'shop.example.com', certificate: defaultRegion }))
        .toThrow(/certificate RequestedInVirginia\/Requested is in Region us-east-1, but the load balancer is in eu-west-1/);
      const wrappedDefault = acm.Certificate.fromCertificateArn(web, 'WrappedDefault', defaultRegion.certificateArn);
      expect(() => new AcmFrontedAlb(web, 'WrappedDefaultRequester', { vpc, domainName: 'shop.example.com', certificate: wrappedDefault }))
        .toThrow(/certificate Web\/WrappedDefault is in Region us-east-1/);
      expect(warn).toHaveBeenCalledWith('[WARNING]', expect.stringMatching(/DnsValidatedCertificate is deprecated/));
    } finally {
      warn.mockRestore();
    }
    // A certificate of another stack in the same Region is accepted.
    const ireland = new Stack(app, 'IrelandCerts', { env: env('eu-west-1') });
    const local = new acm.Certificate(ireland, 'Cert', { domainName: 'shop.example.com' });
    expect(() => new AcmFrontedAlb(web, 'Local', { vpc, domainName: 'shop.example.com', certificate: local })).not.toThrow();
  });
});
