/**
 * Every rule of the catalogue, three ways: a compliant fixture, a non-compliant one and an
 * unresolvable one. A rule added to the catalogue without its three fixtures fails this test.
 */
import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elb from 'aws-cdk-lib/aws-elasticloadbalancing';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CfnResource } from 'aws-cdk-lib/core';
import { EncryptionGate, FindingKind, RuleCatalogue } from '../../src';
import { newApp, newStack } from '../support/app';

type Fixture = (stack: Stack) => CfnResource;
type Verdicts = { compliant: Fixture; nonCompliant: Fixture; unresolvable: Fixture };

const param = (stack: Stack) => new CfnParameter(stack, 'Unknown').valueAsString;
/** A bucket encryption configuration; SSE-C is blocked unless `blocked` says otherwise (`null`: not at all). */
// `unknown` in, L1 type out: fixtures pass tokens and wrong types on purpose.
const sse = (algorithm: unknown, blocked: unknown = { encryptionType: ['SSE-C'] }): s3.CfnBucket.BucketEncryptionProperty => ({
  serverSideEncryptionConfiguration: [{
    serverSideEncryptionByDefault: { sseAlgorithm: algorithm as string },
    blockedEncryptionTypes: (blocked ?? undefined) as s3.CfnBucket.BlockedEncryptionTypesProperty | undefined,
  }],
});
const bucketWithPolicy = (stack: Stack, statements: (arn: string) => object[]) => {
  const bucket = new s3.CfnBucket(stack, 'Subject', { bucketEncryption: sse('AES256') });
  new s3.CfnBucketPolicy(stack, 'Policy', { bucket: bucket.ref, policyDocument: { Statement: statements(bucket.attrArn) } });
  return bucket;
};
const deny = (arn: string, condition: object) => ({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: condition });
const TLS = { Bool: { 'aws:SecureTransport': 'false' } };
const root = (encrypted: unknown) => [{ deviceName: '/dev/xvda', ebs: { encrypted: encrypted as boolean } }];
const admin = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: ['kms:PutKeyPolicy', 'kms:Describe*'], Resource: '*' };
const limitedGrants = { ...admin, Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } };
const cert = [{ certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc' }];
const listener = (stack: Stack, props: Partial<elbv2.CfnListenerProps>) => new elbv2.CfnListener(stack, 'Subject', {
  loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/a/b',
  defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', statusCode: 'HTTP_301' } }],
  ...props,
});
/** A Classic Load Balancer with one HTTPS listener and its SSL negotiation policy, which references `reference`. */
const classic = (stack: Stack, reference: string) => new elb.CfnLoadBalancer(stack, 'Subject', {
  availabilityZones: ['eu-west-1a'],
  listeners: [{ loadBalancerPort: '443', instancePort: '80', protocol: 'HTTPS', sslCertificateId: cert[0].certificateArn, policyNames: ['Tls'] }],
  policies: [{ policyName: 'Tls', policyType: 'SSLNegotiationPolicyType', attributes: [{ name: 'Reference-Security-Policy', value: reference }] }],
});
const db = (stack: Stack, props: Partial<rds.CfnDBInstanceProps>) => new rds.CfnDBInstance(stack, 'Subject', { dbInstanceClass: 'db.t4g.micro', ...props });

const KEY = { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }] };
const table = (stack: Stack, sseSpecification?: dynamodb.CfnTable.SSESpecificationProperty) =>
  new dynamodb.CfnTable(stack, 'Subject', { ...KEY, billingMode: 'PAY_PER_REQUEST', sseSpecification });
const keyArn = (region: string) => `arn:aws:kms:${region}:111111111111:key/mrk-1234`;
const globalTable = (stack: Stack, usKey: unknown) => new dynamodb.CfnGlobalTable(stack, 'Subject', {
  ...KEY,
  billingMode: 'PAY_PER_REQUEST',
  sseSpecification: { sseEnabled: true, sseType: 'KMS' },
  replicas: [
    { region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: keyArn('eu-west-1') } },
    { region: 'us-east-1', sseSpecification: { kmsMasterKeyId: usKey as string } },
  ],
});
const tlsOnly = (condition: object) => ({ Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Condition: condition }] });
const distribution = (stack: Stack, config: Partial<cloudfront.CfnDistribution.DistributionConfigProperty>, behaviour: object = {}) =>
  new cloudfront.CfnDistribution(stack, 'Subject', {
    distributionConfig: {
      enabled: true,
      origins: [{ id: 'app', domainName: 'app.example.com', customOriginConfig: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] } }],
      defaultCacheBehavior: { targetOriginId: 'app', viewerProtocolPolicy: 'redirect-to-https', ...behaviour },
      viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
      ...config,
    },
  });
const acm = (minimumProtocolVersion: string) => ({ acmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', sslSupportMethod: 'sni-only', minimumProtocolVersion });
const origin = (customOriginConfig: object) => [{ id: 'app', domainName: 'app.example.com', customOriginConfig }] as cloudfront.CfnDistribution.OriginProperty[];
const mappedApi = (stack: Stack, disableExecuteApiEndpoint: unknown) => {
  const api = new apigateway.CfnRestApi(stack, 'Subject', { name: 'api', disableExecuteApiEndpoint: disableExecuteApiEndpoint as boolean });
  const domain = new apigateway.CfnDomainName(stack, 'Domain', { domainName: 'api.example.com', securityPolicy: 'TLS_1_2' });
  new apigateway.CfnBasePathMapping(stack, 'Mapping', { domainName: domain.ref, restApiId: api.ref, stage: 'prod' });
  return api;
};
const stage = (stack: Stack, encrypted: unknown) => new apigateway.CfnStage(stack, 'Subject', {
  restApiId: 'abc123',
  stageName: 'prod',
  cacheClusterEnabled: true,
  cacheClusterSize: '0.5',
  methodSettings: [{ resourcePath: '/*', httpMethod: '*', cachingEnabled: true, cacheDataEncrypted: encrypted as boolean }],
});

const FIXTURES: { [ruleId: string]: Verdicts } = {
  'CEG-S3-1': {
    compliant: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: sse('aws:kms') }),
    nonCompliant: s => new s3.CfnBucket(s, 'Subject'),
    unresolvable: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: sse(param(s)) }),
  },
  'CEG-S3-2': {
    compliant: s => bucketWithPolicy(s, arn => [deny(arn, TLS)]),
    nonCompliant: s => bucketWithPolicy(s, () => []),
    unresolvable: s => bucketWithPolicy(s, arn => [deny(arn, { Bool: { 'aws:SecureTransport': param(s) } })]),
  },
  'CEG-S3-3': {
    compliant: s => bucketWithPolicy(s, arn => [deny(arn, { NumericLessThan: { 's3:TlsVersion': '1.2' } })]),
    nonCompliant: s => bucketWithPolicy(s, arn => [deny(arn, TLS)]),
    unresolvable: s => bucketWithPolicy(s, arn => [deny(arn, { NumericLessThan: { 's3:TlsVersion': param(s) } })]),
  },
  'CEG-S3-4': {
    compliant: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: sse('AES256') }),
    nonCompliant: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: sse('AES256', null) }),
    unresolvable: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: sse('AES256', { encryptionType: Fn.split(',', param(s)) }) }),
  },
  'CEG-EBS-1': {
    compliant: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true }),
    nonCompliant: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1 }),
    unresolvable: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1, encrypted: param(s) as unknown as boolean }),
  },
  'CEG-EBS-2': {
    compliant: s => new ec2.CfnLaunchTemplate(s, 'Subject', { launchTemplateData: { blockDeviceMappings: root(true) } }),
    nonCompliant: s => new ec2.CfnLaunchTemplate(s, 'Subject', { launchTemplateData: { blockDeviceMappings: root(false) } }),
    unresolvable: s => new ec2.CfnLaunchTemplate(s, 'Subject', { launchTemplateData: { blockDeviceMappings: root(param(s)) } }),
  },
  'CEG-EBS-3': {
    compliant: s => new ec2.CfnInstance(s, 'Subject', { blockDeviceMappings: root(true) }),
    nonCompliant: s => new ec2.CfnInstance(s, 'Subject', { blockDeviceMappings: root(false) }),
    unresolvable: s => new ec2.CfnInstance(s, 'Subject', { launchTemplate: { launchTemplateId: param(s), version: '1' } }),
  },
  'CEG-EBS-4': {
    compliant: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: root(true) } });
      return new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
    nonCompliant: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: {} });
      return new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
    unresolvable: s => new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateName: 'elsewhere', version: '1' } }),
  },
  'CEG-RDS-1': {
    compliant: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql', storageEncrypted: true }),
    nonCompliant: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql' }),
    unresolvable: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql', storageEncrypted: param(s) as unknown as boolean }),
  },
  'CEG-RDS-2': {
    compliant: s => db(s, { engine: 'db2-se', storageEncrypted: true }),
    nonCompliant: s => db(s, { engine: 'db2-se' }),
    unresolvable: s => db(s, { engine: 'db2-se', dbSnapshotIdentifier: 'old' }),
  },
  'CEG-RDS-3': {
    compliant: s => db(s, { engine: 'postgres', engineVersion: '16.4', storageEncrypted: true }),
    nonCompliant: s => db(s, { engine: 'postgres', engineVersion: '14.12', storageEncrypted: true }),
    unresolvable: s => db(s, { engine: 'postgres', storageEncrypted: true, dbParameterGroupName: 'shared' }),
  },
  'CEG-KMS-1': {
    compliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin, limitedGrants] } }),
    nonCompliant: s => new kms.CfnKey(s, 'Subject', { keyPolicy: { Statement: [admin, limitedGrants] } }),
    unresolvable: s => new kms.CfnKey(s, 'Subject', { keySpec: param(s), keyPolicy: { Statement: [admin, limitedGrants] } }),
  },
  'CEG-KMS-2': {
    compliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin] } }),
    nonCompliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin, { ...admin, Principal: '*' }] } }),
    unresolvable: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin, { ...admin, Principal: { AWS: param(s) } }] } }),
  },
  'CEG-KMS-3': {
    compliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin] } }),
    nonCompliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [{ ...admin, Action: 'kms:Decrypt' }] } }),
    unresolvable: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [{ ...admin, Principal: { AWS: param(s) } }] } }),
  },
  'CEG-KMS-4': {
    compliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin, limitedGrants] } }),
    nonCompliant: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [{ ...admin, Action: 'kms:*' }] } }),
    unresolvable: s => new kms.CfnKey(s, 'Subject', { enableKeyRotation: true, keyPolicy: { Statement: [admin, { ...limitedGrants, Principal: { AWS: param(s) } }] } }),
  },
  'CEG-SM-1': {
    compliant: s => new secretsmanager.CfnSecret(s, 'Subject', { kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/abc' }),
    nonCompliant: s => new secretsmanager.CfnSecret(s, 'Subject'),
    unresolvable: s => new secretsmanager.CfnSecret(s, 'Subject', { kmsKeyId: param(s) }),
  },
  'CEG-SM-2': {
    compliant: s => {
      const secret = new secretsmanager.CfnSecret(s, 'Subject');
      new secretsmanager.CfnRotationSchedule(s, 'Rotation', { secretId: secret.ref, rotationLambdaArn: 'arn:aws:lambda:eu-west-1:111111111111:function:r', rotationRules: { automaticallyAfterDays: 30 } });
      return secret;
    },
    nonCompliant: s => new secretsmanager.CfnSecret(s, 'Subject'),
    unresolvable: s => {
      const secret = new secretsmanager.CfnSecret(s, 'Subject');
      new secretsmanager.CfnRotationSchedule(s, 'Rotation', { secretId: param(s), rotationLambdaArn: 'arn:aws:lambda:eu-west-1:111111111111:function:r', rotationRules: { automaticallyAfterDays: 30 } });
      return secret;
    },
  },
  'CEG-ELB-1': {
    compliant: s => listener(s, { port: 80, protocol: 'HTTP' }),
    nonCompliant: s => listener(s, { port: 80, protocol: 'HTTP', defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }] }),
    unresolvable: s => listener(s, { port: 80, protocol: param(s) }),
  },
  'CEG-ELB-2': {
    compliant: s => listener(s, { port: 443, protocol: 'HTTPS', certificates: cert, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
    nonCompliant: s => listener(s, { port: 443, protocol: 'HTTPS', certificates: cert }),
    unresolvable: s => listener(s, { port: 443, protocol: 'HTTPS', certificates: cert, sslPolicy: param(s) }),
  },
  'CEG-ELB-3': {
    compliant: s => listener(s, { port: 443, protocol: 'HTTPS', certificates: cert }),
    nonCompliant: s => listener(s, { port: 443, protocol: 'HTTPS', certificates: [{ certificateArn: 'arn:aws:iam::111111111111:server-certificate/x' }] }),
    unresolvable: s => listener(s, { port: 443, protocol: 'HTTPS', certificates: [{ certificateArn: param(s) }] }),
  },
  'CEG-ELB-4': {
    compliant: s => classic(s, 'ELBSecurityPolicy-TLS-1-2-2017-01'),
    nonCompliant: s => classic(s, 'ELBSecurityPolicy-2016-08'),
    unresolvable: s => classic(s, param(s)),
  },
  'CEG-DDB-1': {
    compliant: s => table(s, { sseEnabled: true }),
    nonCompliant: s => table(s),
    unresolvable: s => table(s, { sseEnabled: param(s) as unknown as boolean }),
  },
  'CEG-DDB-2': {
    compliant: s => globalTable(s, keyArn('us-east-1')),
    nonCompliant: s => globalTable(s, keyArn('eu-west-1')),
    unresolvable: s => globalTable(s, param(s)),
  },
  'CEG-EFS-1': {
    compliant: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: true }),
    nonCompliant: s => new efs.CfnFileSystem(s, 'Subject'),
    unresolvable: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: param(s) as unknown as boolean }),
  },
  'CEG-EFS-2': {
    compliant: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: true, fileSystemPolicy: tlsOnly(TLS) }),
    nonCompliant: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: true }),
    unresolvable: s => new efs.CfnFileSystem(s, 'Subject', { encrypted: true, fileSystemPolicy: tlsOnly({ Bool: { 'aws:SecureTransport': param(s) } }) }),
  },
  'CEG-CF-1': {
    compliant: s => distribution(s, {}),
    nonCompliant: s => distribution(s, {}, { viewerProtocolPolicy: 'allow-all' }),
    unresolvable: s => distribution(s, {}, { viewerProtocolPolicy: param(s) }),
  },
  'CEG-CF-2': {
    compliant: s => distribution(s, { viewerCertificate: acm('TLSv1.3_2025') }),
    nonCompliant: s => distribution(s, { viewerCertificate: acm('TLSv1.1_2016') }),
    unresolvable: s => distribution(s, { viewerCertificate: acm(param(s)) }),
  },
  'CEG-CF-3': {
    compliant: s => distribution(s, {}),
    nonCompliant: s => distribution(s, { viewerCertificate: undefined }),
    unresolvable: s => distribution(s, { viewerCertificate: { cloudFrontDefaultCertificate: param(s) as unknown as boolean } }),
  },
  'CEG-CF-4': {
    compliant: s => distribution(s, { origins: origin({ originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] }) }),
    nonCompliant: s => distribution(s, { origins: origin({ originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.1', 'TLSv1.2'] }) }),
    unresolvable: s => distribution(s, { origins: origin({ originProtocolPolicy: param(s), originSslProtocols: ['TLSv1.2'] }) }),
  },
  'CEG-APIGW-1': {
    compliant: s => new apigateway.CfnDomainName(s, 'Subject', { domainName: 'api.example.com', securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09' }),
    nonCompliant: s => new apigateway.CfnDomainName(s, 'Subject', { domainName: 'api.example.com', securityPolicy: 'TLS_1_0' }),
    unresolvable: s => new apigateway.CfnDomainName(s, 'Subject', { domainName: 'api.example.com', securityPolicy: param(s) }),
  },
  'CEG-APIGW-2': {
    compliant: s => mappedApi(s, true),
    nonCompliant: s => mappedApi(s, undefined),
    unresolvable: s => mappedApi(s, param(s)),
  },
  'CEG-APIGW-3': {
    compliant: s => stage(s, true),
    nonCompliant: s => stage(s, false),
    unresolvable: s => stage(s, param(s)),
  },
  'CEG-APIGW-4': {
    compliant: s => new apigateway.CfnRestApi(s, 'Subject', { name: 'orders', securityPolicy: 'TLS_1_2' }),
    nonCompliant: s => new apigateway.CfnRestApi(s, 'Subject', { name: 'orders', endpointConfiguration: { types: ['REGIONAL'] } }),
    unresolvable: s => new apigateway.CfnRestApi(s, 'Subject', { name: 'orders', securityPolicy: param(s) }),
  },
  'CEG-SSM-1': {
    compliant: s => new ssm.CfnParameter(s, 'Subject', { type: 'String', value: 'eu-west-1' }),
    nonCompliant: s => new ssm.CfnParameter(s, 'Subject', { type: 'SecureString', value: 'hunter2' }),
    unresolvable: s => new ssm.CfnParameter(s, 'Subject', { type: param(s), value: 'eu-west-1' }),
  },
  'CEG-SSM-2': {
    compliant: s => new ssm.CfnParameter(s, 'Subject', { name: '/orders/table-name', type: 'String', value: 'orders' }),
    nonCompliant: s => new ssm.CfnParameter(s, 'Subject', { name: '/orders/db/password', type: 'String', value: 'hunter2' }),
    unresolvable: s => new ssm.CfnParameter(s, 'Subject', { type: 'String', value: param(s) }),
  },
};

describe('every rule has a compliant, a non-compliant and an unresolvable verdict', () => {
  const app = newApp();
  const cases: Array<[string, keyof Verdicts, string]> = [];
  for (const rule of RuleCatalogue.all()) {
    for (const kind of ['compliant', 'nonCompliant', 'unresolvable'] as const) {
      const stack = newStack(app, `${rule.id}-${kind}`);
      const subject = FIXTURES[rule.id]?.[kind]?.(stack);
      cases.push([rule.id, kind, subject?.node.path ?? '(no fixture)']);
    }
  }
  const findings = EncryptionGate.evaluate(app);

  test.each(cases)('%s: %s', (ruleId, kind, path) => {
    const onSubject = findings.filter(f => f.ruleId === ruleId && f.constructPath === path);
    expect(path).not.toBe('(no fixture)');
    if (kind === 'compliant') {
      expect(onSubject).toEqual([]);
    } else {
      expect(onSubject.map(f => f.kind)).toEqual([kind === 'nonCompliant' ? FindingKind.NON_COMPLIANT : FindingKind.UNRESOLVABLE]);
    }
  });
});
