/**
 * Benchmark apps built from L1 resources, so the resource count is exact: every "unit" is ten
 * resources of the kinds the gate judges (a bucket and its policy, a volume, an instance and an Auto
 * Scaling group with their launch template, a DB instance, an Aurora cluster with its cluster
 * parameter group and a member).
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export const RESOURCES_PER_UNIT = 10;

/**
 * One unit of ten resources; `compliant: false` leaves the bucket, a volume, the root volume and
 * the DB instance unencrypted.
 */
export function addUnit(scope: Construct, id: string, compliant: boolean): void {
  const unit = new Construct(scope, id);
  const kms = {
    serverSideEncryptionConfiguration: [{
      serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' },
      blockedEncryptionTypes: { encryptionType: ['SSE-C'] },
    }],
  };
  const bucket = new s3.CfnBucket(unit, 'Data', compliant ? { bucketEncryption: kms } : {});
  // TLS only, TLS 1.2 at least: what `enforceSSL` and `minimumTLSVersion` render.
  const deny = (condition: object) => ({
    Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: [bucket.attrArn, `${bucket.attrArn}/*`], Condition: condition,
  });
  new s3.CfnBucketPolicy(unit, 'DataPolicy', {
    bucket: bucket.ref,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [deny({ Bool: { 'aws:SecureTransport': 'false' } }), deny({ NumericLessThan: { 's3:TlsVersion': 1.2 } })],
    },
  });
  new ec2.CfnVolume(unit, 'Data1', { availabilityZone: 'eu-west-1a', size: 10, encrypted: compliant });
  const template = new ec2.CfnLaunchTemplate(unit, 'Template', {
    launchTemplateData: {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      metadataOptions: { httpTokens: 'required' },
      blockDeviceMappings: compliant ? [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, encrypted: true } }] : [],
    },
  });
  const fromTemplate = { launchTemplateId: template.ref, version: template.attrLatestVersionNumber };
  new ec2.CfnInstance(unit, 'Instance', { launchTemplate: fromTemplate });
  new autoscaling.CfnAutoScalingGroup(unit, 'Group', { minSize: '1', maxSize: '2', launchTemplate: fromTemplate, availabilityZones: ['eu-west-1a'] });
  // PostgreSQL 16 forces TLS in its default parameter group; Aurora needs a cluster parameter group.
  new rds.CfnDBInstance(unit, 'Db', {
    engine: 'postgres',
    engineVersion: '16.4',
    dbInstanceClass: 'db.t4g.micro',
    allocatedStorage: '20',
    storageEncrypted: compliant,
    masterUsername: 'dbadmin',
    manageMasterUserPassword: true,
  });
  const tls = new rds.CfnDBClusterParameterGroup(unit, 'ClusterTls', {
    family: 'aurora-postgresql16', description: 'TLS only', parameters: { 'rds.force_ssl': compliant ? '1' : '0' },
  });
  const cluster = new rds.CfnDBCluster(unit, 'Cluster', {
    engine: 'aurora-postgresql',
    storageEncrypted: true,
    masterUsername: 'dbadmin',
    manageMasterUserPassword: true,
    dbClusterParameterGroupName: tls.ref,
  });
  new rds.CfnDBInstance(unit, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
}

/** The apps of the benchmark, by name. */
export interface BenchApp {
  readonly name: string;
  readonly resources: number;
  readonly stacks: number;
  /** Each stack in a Stage of its own, each Stage with its own Aspect (the per-team layout). */
  readonly stages?: boolean;
  build(compliant: boolean, outdir?: string): App;
}

function app(name: string, stacks: number, perStack: number, context: Record<string, unknown> = {}, stages = false): BenchApp {
  return {
    name,
    resources: stacks * perStack,
    stacks,
    stages,
    build(compliant, outdir) {
      const result = new App({ outdir, builtinCloudFormationValidation: false, context: { ...context, 'aws:cdk:disable-stack-trace': true } });
      for (let s = 0; s < stacks; s++) {
        const scope = stages ? new Stage(result, `Stage${s}`) : result;
        const stack = new Stack(scope, `Stack${s}`, { env: { account: '111111111111', region: 'eu-west-1' }, analyticsReporting: false });
        for (let u = 0; u < perStack / RESOURCES_PER_UNIT; u++) {
          addUnit(stack, `Unit${u}`, compliant);
        }
      }
      return result;
    },
  };
}

export const APPS: BenchApp[] = [
  app('1k-in-10-stacks', 10, 100),
  app('5k-in-50-stacks', 50, 100),
  app('500-in-1-stack', 1, 500),
  app('2k-in-1-stack', 1, 2000, { '@aws-cdk/core:stackResourceLimit': 2500 }),
  app('400-stages', 400, 10, {}, true),
  app('25k-in-50-stacks', 50, 500),
];

/** What `npm run bench` measures unless BENCH_APPS names others (25k takes minutes per variant). */
export const DEFAULT_APPS = ['1k-in-10-stacks', '5k-in-50-stacks', '2k-in-1-stack', '400-stages'];
