/**
 * Benchmark apps built from L1 resources, so the resource count is exact: every "unit" is ten
 * resources of the kinds the gate judges, of one of two kinds that alternate. A storage unit holds
 * what cdk-nag's matching rules judge too (a bucket and its policy, a volume, an instance and an
 * Auto Scaling group with their launch template, a DB instance, an Aurora cluster with its cluster
 * parameter group and a member); a services unit holds the newer types (a KMS key, a DynamoDB
 * table, an EFS file system, a CloudFront distribution, an API Gateway domain name and stage, an
 * SSM parameter, a secret and its rotation schedule, an HTTPS listener).
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** Resources in a unit of either kind. */
export const RESOURCES_PER_UNIT = 10;

/** The unit at position `index` of the app: storage and services units alternate. */
export function addUnit(scope: Construct, id: string, compliant: boolean, index = 0): void {
  if (index % 2 === 0) {
    addStorageUnit(scope, id, compliant);
  } else {
    addServicesUnit(scope, id, compliant);
  }
}

/**
 * A storage unit of ten resources; `compliant: false` leaves the bucket, a volume, the root volume
 * and the DB instance unencrypted.
 */
export function addStorageUnit(scope: Construct, id: string, compliant: boolean): void {
  const unit = new Construct(scope, id);
  const sseKms = {
    serverSideEncryptionConfiguration: [{
      serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' },
      blockedEncryptionTypes: { encryptionType: ['SSE-C'] },
    }],
  };
  const bucket = new s3.CfnBucket(unit, 'Data', compliant ? { bucketEncryption: sseKms } : {});
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

const ACCOUNT = '111111111111';
const CERTIFICATE = `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/0f2a4b6c-1d3e-4f50-8a9b-0c1d2e3f4a5b`;
const EDGE_CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;

/**
 * A services unit of ten resources: a KMS key that rotates, with an administrator (grants only
 * for AWS resources); a DynamoDB
 * table, an EFS file system (with a TLS-only policy) and a secret encrypted with it; the secret's
 * rotation schedule; a CloudFront distribution with its own certificate, HTTPS to viewers and
 * origin; an API Gateway domain name (TLS 1.2) and a stage whose cache is encrypted; a plain SSM
 * parameter; an HTTPS listener with a TLS 1.3 policy. `compliant: false` leaves the key without
 * rotation, the table and the file system without KMS encryption, lets the distribution serve
 * HTTP and the domain name accept TLS 1.0.
 */
export function addServicesUnit(scope: Construct, id: string, compliant: boolean): void {
  const unit = new Construct(scope, id);
  const key = new kms.CfnKey(unit, 'Key', {
    enableKeyRotation: compliant,
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Administrators', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, NotAction: 'kms:CreateGrant', Resource: '*' },
        {
          Sid: 'GrantsForAwsResources',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ],
    },
  });
  new dynamodb.CfnTable(unit, 'Table', {
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
    sseSpecification: compliant ? { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: key.attrArn } : undefined,
  });
  new efs.CfnFileSystem(unit, 'Files', {
    encrypted: compliant,
    kmsKeyId: compliant ? key.attrArn : undefined,
    fileSystemPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    },
  });
  const secret = new secretsmanager.CfnSecret(unit, 'Secret', { kmsKeyId: key.attrArn, generateSecretString: { excludePunctuation: true } });
  new secretsmanager.CfnRotationSchedule(unit, 'Rotation', {
    secretId: secret.ref,
    hostedRotationLambda: { rotationType: 'PostgreSQLSingleUser' },
    rotationRules: { automaticallyAfterDays: 30 },
  });
  new cloudfront.CfnDistribution(unit, 'Cdn', {
    distributionConfig: {
      enabled: true,
      aliases: [`${id.toLowerCase()}.example.com`],
      origins: [{ id: 'origin', domainName: 'origin.example.com', customOriginConfig: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] } }],
      defaultCacheBehavior: {
        targetOriginId: 'origin',
        viewerProtocolPolicy: compliant ? 'redirect-to-https' : 'allow-all',
        cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      },
      viewerCertificate: { acmCertificateArn: EDGE_CERTIFICATE, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
    },
  });
  new apigateway.CfnDomainName(unit, 'Domain', {
    domainName: `api-${id.toLowerCase()}.example.com`,
    regionalCertificateArn: CERTIFICATE,
    endpointConfiguration: { types: ['REGIONAL'] },
    securityPolicy: compliant ? 'TLS_1_2' : 'TLS_1_0',
  });
  new apigateway.CfnStage(unit, 'Stage', {
    restApiId: 'a1b2c3d4e5',
    deploymentId: 'f6g7h8',
    stageName: 'prod',
    cacheClusterEnabled: true,
    cacheClusterSize: '0.5',
    methodSettings: [{ httpMethod: '*', resourcePath: '/*', cachingEnabled: true, cacheDataEncrypted: true }],
  });
  new ssm.CfnParameter(unit, 'Setting', { type: 'String', value: 'eu-west-1' });
  new elbv2.CfnListener(unit, 'Https', {
    loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/bench/50dc6c495c0c9188`,
    port: 443,
    protocol: 'HTTPS',
    certificates: [{ certificateArn: CERTIFICATE }],
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
  });
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
          // Storage and services units alternate within a stack, and from one stack to the next.
          addUnit(stack, `Unit${u}`, compliant, s + u);
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
  // A tenth of 400-stages: with it, whether the gate's cost grows linearly with the Stages.
  app('40-stages', 40, 10, {}, true),
  app('25k-in-50-stacks', 50, 500),
];

/** What `npm run bench` measures unless BENCH_APPS names others (25k takes minutes per variant). */
export const DEFAULT_APPS = ['1k-in-10-stacks', '5k-in-50-stacks', '2k-in-1-stack', '400-stages'];
