/**
 * cdk-nag v3 as an oracle: on shared fixtures, our verdicts agree with its EC2EBSVolumeEncrypted,
 * RDSStorageEncrypted and S3DefaultEncryptionKMS (our gate with `requireKmsForS3`), except where
 * cdk-nag is wrong; each disagreement is a named test that says which side is right and why.
 *
 * A verdict is "flagged" when the tool reports the fixture's subject resource at all: for us a
 * non-compliant or unresolvable finding, for cdk-nag a violation (including "the rule threw").
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elb from 'aws-cdk-lib/aws-elasticloadbalancing';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnResource } from 'aws-cdk-lib/core';
import { NagMessageLevel, NagPack, NagPackProps, rules } from 'cdk-nag';
import { oracleApp, templateOracles } from './oracles';
import { EncryptionGate, RuleService } from '../../src';
import { newApp, newStack } from '../support/app';
import { EncryptionNagPack } from '../support/encryption-nag-pack';

const KMS = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] };
const AES = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };
const ROOT = (encrypted?: boolean) => [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, encrypted } }];

interface Fixture {
  /** Whether a correct gate flags it. */
  readonly flagged: boolean;
  /** Builds the fixture in its own stack and returns the resource both tools judge. */
  build(stack: Stack): CfnResource;
}

const AGREED: { [name: string]: Fixture } = {
  'bucket with SSE-KMS': { flagged: false, build: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: KMS }) },
  'bucket without encryption': { flagged: true, build: s => new s3.CfnBucket(s, 'Subject') },
  'bucket with SSE-S3 only (KMS required)': { flagged: true, build: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: AES }) },
  'encrypted volume': { flagged: false, build: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true }) },
  'unencrypted volume': { flagged: true, build: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1 }) },
  'volume whose encryption is a parameter': {
    flagged: true,
    build: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1, encrypted: new CfnParameter(s, 'P').valueAsString as unknown as boolean }),
  },
  'instance with an encrypted root mapping': { flagged: false, build: s => new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: ROOT(true) }) },
  'instance with an unencrypted data volume': {
    flagged: true,
    build: s => new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: [...ROOT(true), { deviceName: '/dev/sdf', ebs: { volumeSize: 1 } }] }),
  },
  'instance through a launch template with an encrypted root': {
    flagged: false,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: ROOT(true) } });
      return new ec2.CfnInstance(s, 'Subject', { launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber } });
    },
  },
  'instance through a launch template with an unencrypted root': {
    flagged: true,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: ROOT(false) } });
      return new ec2.CfnInstance(s, 'Subject', { launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
  },
  'launch configuration with an encrypted root': {
    flagged: false,
    build: s => new autoscaling.CfnLaunchConfiguration(s, 'Subject', { imageId: 'ami-1', instanceType: 't3.micro', blockDeviceMappings: ROOT(true) }),
  },
  'launch configuration with an unencrypted root': {
    flagged: true,
    build: s => new autoscaling.CfnLaunchConfiguration(s, 'Subject', { imageId: 'ami-1', instanceType: 't3.micro', blockDeviceMappings: ROOT() }),
  },
  'Auto Scaling group through a launch template with an encrypted root': {
    flagged: false,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: ROOT(true) } });
      return new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
  },
  'Auto Scaling group through a launch template without mappings': {
    flagged: true,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { instanceType: 't3.micro' } });
      return new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
  },
  'encrypted DB instance': { flagged: false, build: s => new rds.CfnDBInstance(s, 'Subject', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true }) },
  'unencrypted DB instance': { flagged: true, build: s => new rds.CfnDBInstance(s, 'Subject', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro' }) },
  'DB instance restored from a snapshot without StorageEncrypted': {
    flagged: true,
    build: s => new rds.CfnDBInstance(s, 'Subject', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'old' }),
  },
  'encrypted Aurora cluster': { flagged: false, build: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql', storageEncrypted: true }) },
  'unencrypted Aurora cluster': { flagged: true, build: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql' }) },
  'Aurora member of an encrypted cluster': {
    flagged: false,
    build: s => {
      const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-mysql', storageEncrypted: true });
      return new rds.CfnDBInstance(s, 'Subject', { engine: 'aurora-mysql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    },
  },
};

/** Fixtures where cdk-nag is wrong: `flagged` is the right verdict, and cdk-nag gives the other. */
const DISAGREED: { [name: string]: Fixture & { readonly why: string } } = {
  'Aurora member of an unencrypted cluster': {
    flagged: true,
    why: 'cdk-nag passes every DB instance whose engine mentions "aurora"; the member\'s storage is its cluster\'s, which is unencrypted',
    build: s => {
      const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-mysql' });
      return new rds.CfnDBInstance(s, 'Subject', { engine: 'aurora-mysql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    },
  },
  'same-Region read replica of an encrypted source, without StorageEncrypted': {
    flagged: false,
    why: 'cdk-nag reads the replica\'s own StorageEncrypted; RDS ignores it for a replica, which inherits its source\'s encryption',
    build: s => {
      const source = new rds.CfnDBInstance(s, 'Source', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true });
      return new rds.CfnDBInstance(s, 'Subject', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref });
    },
  },
  'read replica claiming StorageEncrypted of an unencrypted source': {
    flagged: true,
    why: 'a replica of an unencrypted instance is unencrypted whatever its own property says',
    build: s => {
      const source = new rds.CfnDBInstance(s, 'Source', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro' });
      return new rds.CfnDBInstance(s, 'Subject', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref, storageEncrypted: true });
    },
  },
  'instance with an encrypted data volume and no root mapping': {
    flagged: true,
    why: 'cdk-nag only judges the mappings present; the root volume then comes from the AMI, unencrypted unless the account default says otherwise',
    build: s => new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/sdf', ebs: { volumeSize: 1, encrypted: true } }] }),
  },
  'instance without a launch template in a stack that has one': {
    flagged: false,
    why: 'cdk-nag\'s EC2EBSVolumeEncrypted throws on such an instance (it reads the name of an absent launch template) and reports the throw',
    build: s => {
      new ec2.CfnLaunchTemplate(s, 'Unrelated', { launchTemplateData: { blockDeviceMappings: ROOT(true) } });
      return new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: ROOT(true) });
    },
  },
};

function verdicts(fixtures: { [name: string]: Fixture }): { [name: string]: { ours: boolean; nag: boolean } } {
  const app = newApp();
  const subjects = new Map<string, CfnResource>();
  Object.entries(fixtures).forEach(([name, fixture], i) => subjects.set(name, fixture.build(newStack(app, `Fixture${i}`))));
  app.synth();
  // Encryption at rest only: the rules that match cdk-nag's three.
  const ours = new Set(EncryptionGate.evaluate(app, { requireKmsForS3: true, services: [RuleService.EBS], ruleIds: ['CEG-S3-1', 'CEG-RDS-1', 'CEG-RDS-2'] })
    .map(f => f.constructPath));
  const report = new EncryptionNagPack(undefined, false).validateScope(app);
  const nag = new Set(report.violations.flatMap(v => v.violatingResources.map(r => r.constructPath)));
  return Object.fromEntries([...subjects].map(([name, subject]) => [name, { ours: ours.has(subject.node.path), nag: nag.has(subject.node.path) }]));
}

describe('agreement with cdk-nag on shared fixtures', () => {
  const results = verdicts(AGREED);
  test.each(Object.keys(AGREED))('%s', name => {
    expect(results[name]).toEqual({ ours: AGREED[name].flagged, nag: AGREED[name].flagged });
  });
});

describe('where cdk-nag is wrong', () => {
  const results = verdicts(DISAGREED);
  test.each(Object.entries(DISAGREED).map(([name, f]) => [name, f.why]))('%s: we are right, because %s', name => {
    expect(results[name]).toEqual({ ours: DISAGREED[name].flagged, nag: !DISAGREED[name].flagged });
  });
});

/**
 * The service rules of issue 11 against cdk-nag's matching rules, one pair per fixture: EFSEncrypted
 * (CEG-EFS-1), CloudFrontDistributionHttpsViewerNoOutdatedSSL (CEG-CF-2 and CEG-CF-3),
 * CloudFrontDistributionNoOutdatedSSL (CEG-CF-4), APIGWCacheEnabledAndEncrypted (CEG-APIGW-3) and
 * ELBTlsHttpsListenersOnly (CEG-ELB-4).
 * cdk-nag has no rule for DynamoDB table encryption, EFS TLS-only policies, viewer HTTPS, API
 * Gateway domain security policies or Parameter Store.
 */
class ServiceNagPack extends NagPack {
  public readonly name = 'ServiceNagPack';

  constructor(props?: NagPackProps) {
    super(undefined, props);
    this.packName = 'ServiceNagPack';
  }

  protected checkResource(node: CfnResource): void {
    const level = NagMessageLevel.ERROR;
    const rule = (r: Parameters<NagPack['applyRule']>[0]['rule']) => this.applyRule({ info: 'Oracle.', explanation: 'Oracle.', level, rule: r, node });
    rule(rules.efs.EFSEncrypted);
    rule(rules.cloudfront.CloudFrontDistributionHttpsViewerNoOutdatedSSL);
    rule(rules.cloudfront.CloudFrontDistributionNoOutdatedSSL);
    rule(rules.apigw.APIGWCacheEnabledAndEncrypted);
    rule(rules.elb.ELBTlsHttpsListenersOnly);
  }
}

interface PairedFixture extends Fixture {
  /** Our rules that answer the question. */
  readonly ours: string[];
  /** cdk-nag's rule that answers it. */
  readonly nag: string;
  readonly why?: string;
}

const ACM = { acmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', sslSupportMethod: 'sni-only' };
const distribution = (s: Stack, viewerCertificate: object | undefined, customOriginConfig: object = { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] }) =>
  new cloudfront.CfnDistribution(s, 'Subject', {
    distributionConfig: {
      enabled: true,
      origins: [{ id: 'app', domainName: 'app.example.com', customOriginConfig: customOriginConfig as cloudfront.CfnDistribution.CustomOriginConfigProperty }],
      defaultCacheBehavior: { targetOriginId: 'app', viewerProtocolPolicy: 'redirect-to-https' },
      viewerCertificate: viewerCertificate as cloudfront.CfnDistribution.ViewerCertificateProperty,
    },
  });
const stage = (s: Stack, methodSettings: apigateway.CfnStage.MethodSettingProperty[]) =>
  new apigateway.CfnStage(s, 'Subject', { restApiId: 'abc123', stageName: 'prod', cacheClusterEnabled: true, cacheClusterSize: '0.5', methodSettings });
const STAGE_WIDE = { resourcePath: '/*', httpMethod: '*', cachingEnabled: true };
const HTTPS_VIEWER = ['CEG-CF-2', 'CEG-CF-3'];
const EFS = { ours: ['CEG-EFS-1'], nag: 'EFSEncrypted' };
const VIEWER = { ours: HTTPS_VIEWER, nag: 'CloudFrontDistributionHttpsViewerNoOutdatedSSL' };
const ORIGIN = { ours: ['CEG-CF-4'], nag: 'CloudFrontDistributionNoOutdatedSSL' };
const CACHE = { ours: ['CEG-APIGW-3'], nag: 'APIGWCacheEnabledAndEncrypted' };
const CLASSIC = { ours: ['CEG-ELB-4'], nag: 'ELBTlsHttpsListenersOnly' };
/** A Classic Load Balancer with one listener, and an SSL negotiation policy referencing `reference` when given. */
const classic = (s: Stack, listener: Partial<elb.CfnLoadBalancer.ListenersProperty>, reference?: string) => new elb.CfnLoadBalancer(s, 'Subject', {
  availabilityZones: ['eu-west-1a'],
  listeners: [{ loadBalancerPort: '443', instancePort: '443', protocol: 'HTTPS', sslCertificateId: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc', ...listener }],
  policies: reference === undefined ? undefined
    : [{ policyName: 'Tls', policyType: 'SSLNegotiationPolicyType', loadBalancerPorts: ['443'], attributes: [{ name: 'Reference-Security-Policy', value: reference }] }],
});

const SERVICES_AGREED: { [name: string]: PairedFixture } = {
  'encrypted file system': { ...EFS, flagged: false, build: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: true }) },
  'file system with Encrypted false': { ...EFS, flagged: true, build: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: false }) },
  'distribution with an ACM certificate and TLSv1.2_2021': { ...VIEWER, flagged: false, build: s => distribution(s, { ...ACM, minimumProtocolVersion: 'TLSv1.2_2021' }) },
  'distribution with the default certificate': { ...VIEWER, flagged: true, build: s => distribution(s, { cloudFrontDefaultCertificate: true }) },
  'distribution with an ACM certificate and TLSv1': { ...VIEWER, flagged: true, build: s => distribution(s, { ...ACM, minimumProtocolVersion: 'TLSv1' }) },
  'custom origin over https-only TLSv1.2': { ...ORIGIN, flagged: false, build: s => distribution(s, undefined) },
  'custom origin over http-only': { ...ORIGIN, flagged: true, build: s => distribution(s, undefined, { originProtocolPolicy: 'http-only' }) },
  'custom origin allowing TLSv1': { ...ORIGIN, flagged: true, build: s => distribution(s, undefined, { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1', 'TLSv1.2'] }) },
  'stage caching everything, encrypted': { ...CACHE, flagged: false, build: s => stage(s, [{ ...STAGE_WIDE, cacheDataEncrypted: true }]) },
  'stage caching everything, unencrypted': { ...CACHE, flagged: true, build: s => stage(s, [STAGE_WIDE]) },
  'classic HTTPS listener, TLS 1.2 policy, HTTPS to the instances': {
    ...CLASSIC, flagged: false, build: s => classic(s, { instanceProtocol: 'HTTPS' }, 'ELBSecurityPolicy-TLS-1-2-2017-01'),
  },
};

const SERVICES_DISAGREED: { [name: string]: PairedFixture & { readonly why: string } } = {
  'file system without Encrypted': {
    ...EFS,
    flagged: true,
    why: 'EFSEncrypted passes an absent Encrypted, but CloudFormation\'s default is false: the file system is unencrypted',
    build: s => new efs.CfnFileSystem(s, 'Subject'),
  },
  'distribution with TLSv1.1_2016': {
    ...VIEWER,
    flagged: true,
    why: 'CloudFrontDistributionHttpsViewerNoOutdatedSSL passes TLSv1.1_2016, which accepts TLS 1.1 (deprecated by RFC 8996)',
    build: s => distribution(s, { ...ACM, minimumProtocolVersion: 'TLSv1.1_2016' }),
  },
  'distribution with TLSv1.2_2019': {
    ...VIEWER,
    flagged: true,
    why: 'CloudFrontDistributionHttpsViewerNoOutdatedSSL passes TLSv1.2_2019, whose ciphers TLSv1.2_2021 removed as weak (CBC with SHA-1)',
    build: s => distribution(s, { ...ACM, minimumProtocolVersion: 'TLSv1.2_2019' }),
  },
  'distribution on a dedicated IP (vip) with TLSv1.2_2021': {
    ...VIEWER,
    flagged: false,
    why: 'CloudFrontDistributionHttpsViewerNoOutdatedSSL flags every vip distribution; a dedicated IP costs more but accepts the same TLSv1.2_2021 policy',
    build: s => distribution(s, { ...ACM, sslSupportMethod: 'vip', minimumProtocolVersion: 'TLSv1.2_2021' }),
  },
  'custom origin allowing TLSv1.1': {
    ...ORIGIN,
    flagged: true,
    why: 'CloudFrontDistributionNoOutdatedSSL only rejects SSLv3 and TLSv1, so TLS 1.1 to the origin passes',
    build: s => distribution(s, undefined, { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.1', 'TLSv1.2'] }),
  },
  'stage caching everything encrypted, one method caching unencrypted': {
    ...CACHE,
    flagged: true,
    why: 'APIGWCacheEnabledAndEncrypted reads only the /* * setting; a method setting decides for its method, and this one caches in clear',
    build: s => stage(s, [{ ...STAGE_WIDE, cacheDataEncrypted: true }, { resourcePath: '/~1users', httpMethod: 'GET', cachingEnabled: true }]),
  },
  'classic HTTP listener': {
    ...CLASSIC,
    flagged: true,
    why: 'ELBTlsHttpsListenersOnly judges only HTTPS and SSL listeners; a Classic Load Balancer cannot redirect, so an HTTP listener serves its traffic unencrypted',
    build: s => classic(s, { loadBalancerPort: '80', instancePort: '80', protocol: 'HTTP', sslCertificateId: undefined }),
  },
  'classic HTTPS listener without an SSL negotiation policy': {
    ...CLASSIC,
    flagged: true,
    why: 'ELBTlsHttpsListenersOnly reads only the protocols; without a policy Elastic Load Balancing attaches ELBSecurityPolicy-2016-08, which accepts TLS 1.0',
    build: s => classic(s, { instanceProtocol: 'HTTPS' }),
  },
  'stage without a cache': {
    ...CACHE,
    flagged: false,
    why: 'APIGWCacheEnabledAndEncrypted demands caching itself (a performance choice); a stage that caches nothing stores no response to encrypt',
    build: s => new apigateway.CfnStage(s, 'Subject', { restApiId: 'abc123', stageName: 'prod' }),
  },
};

function pairedVerdicts(fixtures: { [name: string]: PairedFixture }): { [name: string]: { ours: boolean; nag: boolean } } {
  const app = newApp();
  const subjects = new Map<string, CfnResource>();
  Object.entries(fixtures).forEach(([name, fixture], i) => subjects.set(name, fixture.build(newStack(app, `Fixture${i}`))));
  app.synth();
  const ourFindings = EncryptionGate.evaluate(app, { services: [RuleService.EFS, RuleService.CLOUDFRONT, RuleService.API_GATEWAY, RuleService.ELB] });
  const violations = new ServiceNagPack().validateScope(app).violations;
  return Object.fromEntries([...subjects].map(([name, subject]) => {
    const fixture = fixtures[name];
    const path = subject.node.path;
    return [name, {
      ours: ourFindings.some(f => f.constructPath === path && fixture.ours.includes(f.ruleId)),
      nag: violations.some(v => v.ruleName.includes(fixture.nag) && v.violatingResources.some(r => r.constructPath === path)),
    }];
  }));
}

describe('agreement with cdk-nag on the service rules', () => {
  const results = pairedVerdicts(SERVICES_AGREED);
  test.each(Object.keys(SERVICES_AGREED))('%s', name => {
    expect(results[name]).toEqual({ ours: SERVICES_AGREED[name].flagged, nag: SERVICES_AGREED[name].flagged });
  });
});

describe('where cdk-nag is wrong on the service rules', () => {
  const results = pairedVerdicts(SERVICES_DISAGREED);
  test.each(Object.entries(SERVICES_DISAGREED).map(([name, f]) => [name, f.why]))('%s: we are right, because %s', name => {
    expect(results[name]).toEqual({ ours: SERVICES_DISAGREED[name].flagged, nag: !SERVICES_DISAGREED[name].flagged });
  });
});

describe('where Control Tower is wrong on the service rules', () => {
  test('CT.APIGATEWAY.PR.6 allow-lists only TLS_1_2, so it rejects the 2025 TLS 1.3 policies, which accept nothing below TLS 1.3; both reject TLS_1_0', () => {
    const app = oracleApp();
    const stack = newStack(app, 'Domains');
    const domain = (id: string, securityPolicy: string) => new apigateway.CfnDomainName(stack, id, {
      domainName: `${id.toLowerCase()}.example.com`,
      regionalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy,
    });
    const tls13 = domain('Tls13', 'SecurityPolicy_TLS13_1_3_2025_09');
    const tls10 = domain('Tls10', 'TLS_1_0');
    const ours = EncryptionGate.evaluate(app, { ruleIds: ['CEG-APIGW-1'] }).map(f => f.constructPath);
    const ct = templateOracles(app).filter(v => /CT\.APIGATEWAY\.PR\.6/.test(v.rule)).flatMap(v => v.paths);
    expect({ ours: ours.includes(tls13.node.path), ct: ct.includes(tls13.node.path) }).toEqual({ ours: false, ct: true });
    expect({ ours: ours.includes(tls10.node.path), ct: ct.includes(tls10.node.path) }).toEqual({ ours: true, ct: true });
  });
});
