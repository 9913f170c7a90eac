import { App, Aws, CfnCondition, CfnParameter, CfnResource, Fn, Lazy, Size, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { crashes, envStack, newApp, runCombined } from './harness';
import { AccessLogBucket, CmkWithPolicy, EncryptedBucket, RotatingSecret } from '../../src';

/**
 * Crash-proofing: representative resources of the example and test apps (the library's own
 * constructs, aws-cdk-lib L2s, L1s of every gated type and of every related type), each top-level
 * property overridden with a token of another resource, a Lazy that produces undefined, and an
 * Fn::If between the two. Every front end must complete: a finding is fine, an exception is not.
 */

function representative(app: App, id = 'Stack'): Stack {
  const stack = envStack(app, id);
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    maxAzs: 1,
    subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const key = new CmkWithPolicy(stack, 'DataKey', { alias: 'crash-data' });
  const logs = new AccessLogBucket(stack, 'AccessLogs');
  new EncryptedBucket(stack, 'Reports', { encryptionKey: key, serverAccessLogsBucket: logs });
  new s3.Bucket(stack, 'L2Bucket', { enforceSSL: true, encryption: s3.BucketEncryption.KMS_MANAGED });
  new ec2.Volume(stack, 'Scratch', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(1), encrypted: true });
  const root = [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }];
  const machineImage = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-12345678' });
  const instanceType = new ec2.InstanceType('t3.micro');
  new ec2.Instance(stack, 'Bastion', { vpc, instanceType, machineImage, blockDevices: root });
  const template = new ec2.LaunchTemplate(stack, 'Template', { instanceType, machineImage, blockDevices: root });
  new autoscaling.AutoScalingGroup(stack, 'Workers', { vpc, launchTemplate: template, maxCapacity: 1 });
  new autoscaling.CfnLaunchConfiguration(stack, 'LaunchConfig', {
    imageId: 'ami-12345678', instanceType: 't3.micro', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }],
  });
  const tls = new rds.CfnDBParameterGroup(stack, 'TlsGroup', { family: 'postgres16', description: 'TLS', parameters: { 'rds.force_ssl': '1' } });
  const db = new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true, dbParameterGroupName: tls.ref });
  new rds.CfnDBInstance(stack, 'Replica', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: db.ref });
  const cpg = new rds.CfnDBClusterParameterGroup(stack, 'ClusterTls', { family: 'aurora-postgresql16', description: 'TLS', parameters: { 'rds.force_ssl': '1' } });
  const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', storageEncrypted: true, dbClusterParameterGroupName: cpg.ref });
  new rds.CfnDBInstance(stack, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
  new rds.CfnOptionGroup(stack, 'OracleOptions', { engineName: 'oracle-ee', majorEngineVersion: '19', optionGroupDescription: 'x', optionConfigurations: [{ optionName: 'SSL' }] });
  const secret = new secretsmanager.CfnSecret(stack, 'Secret', { kmsKeyId: key.keyArn });
  new secretsmanager.CfnRotationSchedule(stack, 'Schedule', {
    secretId: secret.ref, rotationLambdaArn: 'arn:aws:lambda:eu-west-1:111111111111:function:r', rotationRules: { automaticallyAfterDays: 30 },
  });
  new secretsmanager.CfnSecretTargetAttachment(stack, 'Attachment', { secretId: secret.ref, targetId: db.ref, targetType: 'AWS::RDS::DBInstance' });
  new RotatingSecret(stack, 'Rotating', { encryptionKey: key, rotationLambda: undefined as never, hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser() });
  new kms.Key(stack, 'L2Key', { enableKeyRotation: true });
  new kms.CfnReplicaKey(stack, 'ReplicaKey', { primaryKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1', keyPolicy: { Statement: [] } });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const http = lb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443' }) });
  new elbv2.CfnListenerRule(stack, 'Rule', {
    listenerArn: http.listenerArn,
    priority: 1,
    conditions: [{ field: 'path-pattern', values: ['/x'] }],
    actions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', statusCode: 'HTTP_301' } }],
  });
  const https = new elbv2.CfnListener(stack, 'Https', {
    loadBalancerArn: lb.loadBalancerArn,
    port: 443,
    protocol: 'HTTPS',
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    certificates: [{ certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/1' }],
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }],
  });
  new elbv2.CfnListenerCertificate(stack, 'ExtraCert', { listenerArn: https.ref, certificates: [{ certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/2' }] });
  return stack;
}

const GATED_OR_RELATED = /^AWS::(S3::|EC2::(Volume|Instance|LaunchTemplate)$|AutoScaling::|RDS::|KMS::|SecretsManager::|ElasticLoadBalancingV2::)/;

/** Every gated or related L1 of the representative app, with its top-level property names (from the template). */
function inventory(): Array<{ path: string; properties: string[] }> {
  const app = newApp();
  const stack = representative(app);
  const template = app.synth().getStackByName(stack.stackName).template;
  const byPath = new Map<string, string[]>();
  for (const construct of stack.node.findAll()) {
    if (CfnResource.isCfnResource(construct) && GATED_OR_RELATED.test(construct.cfnResourceType)) {
      const resource = template.Resources[stack.resolve(construct.logicalId)];
      byPath.set(construct.node.path, Object.keys(resource?.Properties ?? {}));
    }
  }
  return [...byPath].map(([path, properties]) => ({ path, properties }));
}

type Override = (stack: Stack, other: CfnResource) => unknown;
const OVERRIDES: Array<[string, Override]> = [
  ['a token of another resource', (_stack, other) => other.ref],
  ['Lazy.any(() => undefined)', () => Lazy.any({ produce: () => undefined })],
  ['Fn.conditionIf(C, other.ref, NoValue)', (stack, other) => {
    const condition = stack.node.tryFindChild('CrashCondition') as CfnCondition
      ?? new CfnCondition(stack, 'CrashCondition', { expression: Fn.conditionEquals(new CfnParameter(stack, 'CrashParam').valueAsString, 'x') });
    return Fn.conditionIf(condition.logicalId, other.ref, Aws.NO_VALUE);
  }],
];

const resources = inventory();
const rounds = Math.max(...resources.map(r => r.properties.length));

function find(app: App, path: string): CfnResource {
  const parts = path.split('/');
  let node: IConstruct = app;
  for (const part of parts) {
    node = node.node.findChild(part);
  }
  return node as CfnResource;
}

test('the representative app has resources of every gated type', () => {
  expect(resources.length).toBeGreaterThan(25);
  expect(rounds).toBeGreaterThan(3);
});

// Round i overrides the i-th top-level property of every resource at once; one app per round
// holds one copy of the representative stack per kind of override (fast: few syntheses).
test.each([...Array(rounds).keys()])('round %i: every front end completes with every kind of override', (round) => {
  const results = runCombined(app => {
    OVERRIDES.forEach(([, override], k) => {
      const stack = representative(app, `Kind${k}`);
      const other = find(app, `Kind${k}/L2Key/Resource`);
      for (const { path, properties } of resources) {
        const property = properties[round];
        if (property !== undefined) {
          find(app, path.replace(/^Stack\//, `Kind${k}/`)).addPropertyOverride(property, override(stack, other));
        }
      }
    });
  });
  expect(crashes(results)).toEqual([]);
});

test('every resource referring to itself through every property completes', () => {
  const results = runCombined(app => {
    representative(app);
    for (const { path, properties } of resources) {
      const resource = find(app, path);
      for (const property of properties) {
        resource.addPropertyOverride(property, resource.ref);
      }
    }
  });
  expect(crashes(results)).toEqual([]);
});
