import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AcmFrontedAlb } from '../../src';
import { newApp } from '../support/app';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, Decision, deployRole, OTHER_ACCOUNT } from './support/simulator';

/**
 * Authorization contracts of `AcmFrontedAlb` and its access-log bucket: the deploying role creates
 * the load balancer, listeners and bucket, and turns access logs on (ELB then writes a test object
 * under `<prefix>/AWSLogs/<account>/`); Elastic Load Balancing delivers the logs of this account's
 * load balancers, as the Region's legacy ELB account or as the log delivery service principal
 * (`logdelivery.elasticloadbalancing.amazonaws.com`), which AWS documents for every Region; nobody
 * else, and no load balancer of another account, may write there.
 */

const LEGACY_REGION = 'eu-west-1';
/** The Elastic Load Balancing account of eu-west-1 (ELB User Guide, "Regions available before August 2022"). */
const ELB_ACCOUNT_EU_WEST_1 = '156460612806';
const NEW_REGION = 'eu-central-2';
const ELB_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

let resolved: ResolvedApp;
let authorizer: Authorizer;
const bucketOf = (stack: string) => resolved.resource('AWS::S3::Bucket', 'WebAccessLogs', stack).arn;

beforeAll(() => {
  const app = newApp();
  for (const [name, region] of [['Legacy', LEGACY_REGION], ['Newer', NEW_REGION]]) {
    const stack = new Stack(app, name, { env: { account: ACCOUNT, region } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const hostedZone = new route53.HostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const web = new AcmFrontedAlb(stack, 'Web', { vpc, hostedZone, domainName: 'app.example.com' });
    web.httpsListener.addAction('Default', { action: elbv2.ListenerAction.fixedResponse(404) });
  }
  resolved = ResolvedApp.of(app);
  authorizer = new Authorizer(resolved);
});

describe('deploy: the CloudFormation execution role', () => {
  test('may create and change the load balancer and its listeners (no resource policy is involved)', async () => {
    const lb = resolved.resource('AWS::ElasticLoadBalancingV2::LoadBalancer', 'WebLoadBalancer', 'Legacy').arn;
    const actions = ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:AddTags',
      'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:DeleteLoadBalancer'];
    const decisions = await authorizer.decideAll(Object.fromEntries(actions.map(action => [action, {
      principal: deployRole(LEGACY_REGION), action, resource: lb, identityPolicies: [ALLOW_ALL],
    }])));
    expect(Object.entries(decisions).filter(([, d]) => d !== 'Allowed')).toEqual([]);
  });

  test('may configure and delete the access-log bucket over TLS', async () => {
    const actions = ['s3:CreateBucket', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutEncryptionConfiguration',
      's3:PutBucketVersioning', 's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:DeleteBucket'];
    const decisions = await authorizer.decideAll(Object.fromEntries(actions.map(action => [action, {
      principal: deployRole(LEGACY_REGION), action, resource: bucketOf('Legacy'), identityPolicies: [ALLOW_ALL], context: { 's3:TlsVersion': '1.2' },
    }])));
    expect(Object.entries(decisions).filter(([, d]) => d !== 'Allowed')).toEqual([]);
  });
});

describe('ELB log delivery', () => {
  /** Where ELB writes: `<bucket>/<prefix>/AWSLogs/<account>/...`; the prefix is the construct's ID. */
  const object = (stack: string, account: string, file: string) => `${bucketOf(stack)}/Web/AWSLogs/${account}/${file}`;
  const testFile = 'ELBAccessLogTestFile';
  const logFile = (region: string) => `elasticloadbalancing/${region}/2026/01/01/${ACCOUNT}_elasticloadbalancing_${region}_app.x.log.gz`;

  test('in a Region with a legacy ELB account: that account and the service principal may write the test object and the logs', async () => {
    const legacy = `arn:aws:iam::${ELB_ACCOUNT_EU_WEST_1}:root`;
    const decisions: Record<string, Decision> = await authorizer.decideAll({
      legacyTestObject: { principal: legacy, action: 's3:PutObject', resource: object('Legacy', ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
      legacyLog: { principal: legacy, action: 's3:PutObject', resource: object('Legacy', ACCOUNT, logFile(LEGACY_REGION)), identityPolicies: [ALLOW_ALL] },
      serviceTestObject: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Legacy', ACCOUNT, testFile), context: { 'aws:SourceAccount': ACCOUNT } },
      serviceLog: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Legacy', ACCOUNT, logFile(LEGACY_REGION)), context: { 'aws:SourceAccount': ACCOUNT } },
      // Whether or not ELB sets aws:SourceAccount, the delivery of this account's logs is allowed.
      serviceWithoutSourceAccount: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Legacy', ACCOUNT, testFile) },
    });
    expect(Object.entries(decisions).filter(([, d]) => d !== 'Allowed')).toEqual([]);
  });

  test('in a newer Region: the service principal may write the test object and the logs', async () => {
    expect(await authorizer.decideAll({
      testObject: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Newer', ACCOUNT, testFile) },
      log: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Newer', ACCOUNT, logFile(NEW_REGION)) },
    })).toEqual({ testObject: 'Allowed', log: 'Allowed' });
  });

  test('the logs of another account\'s load balancer (its AWSLogs/<account> path) are refused, as are reads and other writers', async () => {
    const legacy = `arn:aws:iam::${ELB_ACCOUNT_EU_WEST_1}:root`;
    const theirs = { 'aws:SourceAccount': OTHER_ACCOUNT };
    expect(await authorizer.decideAll({
      legacyOtherAccount: { principal: legacy, action: 's3:PutObject', resource: object('Legacy', OTHER_ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
      serviceOtherAccount: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Legacy', OTHER_ACCOUNT, testFile), context: theirs },
      serviceOtherAccountNewer: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Newer', OTHER_ACCOUNT, testFile), context: theirs },
      serviceRead: { principal: ELB_SERVICE, action: 's3:GetObject', resource: object('Legacy', ACCOUNT, testFile) },
      legacyOutsidePath: { principal: legacy, action: 's3:PutObject', resource: `${bucketOf('Legacy')}/other/x`, identityPolicies: [ALLOW_ALL] },
      otherAccountRole: { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/R`, action: 's3:PutObject', resource: object('Legacy', ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
      anonymous: { principal: 'anonymous', action: 's3:PutObject', resource: object('Legacy', ACCOUNT, testFile) },
      otherRegionsLegacyAccount: {
        principal: 'arn:aws:iam::127311923021:root', action: 's3:PutObject', resource: object('Legacy', ACCOUNT, testFile), identityPolicies: [ALLOW_ALL],
      },
    })).toEqual({
      legacyOtherAccount: 'ImplicitlyDenied',
      serviceOtherAccount: 'ImplicitlyDenied',
      serviceOtherAccountNewer: 'ImplicitlyDenied',
      serviceRead: 'ImplicitlyDenied',
      legacyOutsidePath: 'ImplicitlyDenied',
      otherAccountRole: 'ImplicitlyDenied',
      anonymous: 'ImplicitlyDenied',
      otherRegionsLegacyAccount: 'ImplicitlyDenied',
    });
  });

  test('plain HTTP is refused even to the log delivery principals', async () => {
    expect(await authorizer.decide({
      principal: ELB_SERVICE, action: 's3:PutObject', resource: object('Newer', ACCOUNT, testFile), context: { 'aws:SecureTransport': 'false' },
    })).toBe('ExplicitlyDenied');
  });
});
