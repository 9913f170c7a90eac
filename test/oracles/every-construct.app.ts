/**
 * One app with every construct of the library at its defaults (only required props given), the
 * subject of the whole-library oracle test.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AccessLogBucket, AcmFrontedAlb, CmkWithPolicy, EbsEncryptionByDefault, EncryptedBucket, EncryptedRdsInstance, EncryptedSnapshotCopy,
  EnvelopeEncryption, MultiRegionKey, RotatingSecret, SecureStringParameter, SnapshotSource,
} from '../../src';

export const ENV = { account: '111111111111', region: 'eu-west-1' };

/**
 * The user's own resources in these apps (the VPC, the zone, a role, CDK's cross-Region reference
 * providers, and whatever a test adds under a `User` ID); everything else is the library's.
 */
export function isUsers(path: string): boolean {
  return /^(Main|Replica)\/(Vpc|Zone|Reader|Rotator|User[^/]*)(\/|$)/.test(path) || /Custom::CrossRegion|Exports(Writer|Reader)/.test(path);
}

export interface EveryConstruct {
  readonly main: Stack;
  readonly replica: Stack;
  readonly vpc: ec2.Vpc;
  readonly web: AcmFrontedAlb;
  readonly db: EncryptedRdsInstance;
}

/**
 * The stacks of the app: `main` holds every construct at its defaults (and, with `variants`, an
 * internal load balancer and a database whose port is a deploy-time parameter), `replica` the
 * replica of the multi-Region key.
 */
export function everyConstruct(app: App, variants = false): EveryConstruct {
  const main = new Stack(app, 'Main', { env: ENV, crossRegionReferences: true });
  const replica = new Stack(app, 'Replica', { env: { ...ENV, region: 'eu-central-1' }, crossRegionReferences: true });
  const vpc = new ec2.Vpc(main, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(main, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });

  new EncryptedBucket(main, 'Bucket');
  new AccessLogBucket(main, 'Logs');
  const key = new CmkWithPolicy(main, 'Key');
  new MultiRegionKey(main, 'GlobalKey').addReplica(replica);
  const reader = new iam.Role(main, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  EnvelopeEncryption.grantReader(key, reader);
  const rotator = lambda.Function.fromFunctionArn(main, 'Rotator', 'arn:aws:lambda:eu-west-1:111111111111:function:rotate');
  new RotatingSecret(main, 'Secret', { rotationLambda: rotator });
  new RotatingSecret(main, 'HostedSecret', { hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser() });
  const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 });
  const db = new EncryptedRdsInstance(main, 'Db', { engine, vpc });
  const web = new AcmFrontedAlb(main, 'Web', { vpc, domainName: 'app.example.com', hostedZone });
  web.addTargets('App', { port: 8443 });
  new SecureStringParameter(main, 'Parameter', { parameterName: '/app/token' });
  new EbsEncryptionByDefault(main, 'EbsDefault');
  new EncryptedSnapshotCopy(main, 'SnapshotCopy', { source: SnapshotSource.ebsSnapshot('snap-0123456789abcdef0') });
  if (variants) {
    new AcmFrontedAlb(main, 'InternalWeb', { vpc, domainName: 'internal.example.com', hostedZone, internetFacing: false }).addTargets('App', { port: 8443 });
    const port = new CfnParameter(main, 'UserDbPort', { type: 'Number', default: 15433 }).valueAsNumber;
    new EncryptedRdsInstance(main, 'ParameterPortDb', { engine, vpc, port });
  }
  return { main, replica, vpc, web, db };
}
