import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  AccessLogBucket, AcmFrontedAlb, CmkWithPolicy, EncryptedBucket, EncryptedRdsInstance, MultiRegionKey, RotatingSecret, SecureStringParameter,
} from '../../src';
import { isolatedVpc, newApp, newStack } from '../support/app';

/**
 * Keys and log buckets of another Region than the resource: AWS refuses them (CreateDBInstance,
 * PutParameter, ReplicateSecretToRegions, S3's writes, ELB log delivery fail), so the constructs do,
 * at construction, naming the prop and both Regions.
 */
describe('a key or log bucket of another Region is refused', () => {
  const setup = () => {
    const app = newApp();
    const keys = newStack(app, 'Keys', 'eu-west-1');
    const here = newStack(app, 'Here', 'us-east-1', { crossRegionReferences: true });
    return { app, keys, here, key: new CmkWithPolicy(keys, 'Key') };
  };

  test('EncryptedBucket, EncryptedRdsInstance, SecureStringParameter and RotatingSecret name the key, its Region and theirs', () => {
    const { here, key } = setup();
    const message = (prop: string) => new RegExp(`${prop} Keys/Key is a key of Region eu-west-1, but .* is in us-east-1: KMS keys are regional`);
    expect(() => new EncryptedBucket(here, 'Bucket', { encryptionKey: key })).toThrow(message('encryptionKey'));
    expect(() => new EncryptedRdsInstance(here, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc: isolatedVpc(here),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncryptionKey: key,
    })).toThrow(message('storageEncryptionKey'));
    expect(() => new SecureStringParameter(here, 'Parameter', { parameterName: '/app/token', encryptionKey: key })).toThrow(message('encryptionKey'));
    expect(() => new RotatingSecret(here, 'Secret', { rotationLambda: rotationFunctionIn(here), encryptionKey: key })).toThrow(message('encryptionKey'));
  });

  test('a literal key ARN of another Region too; a key of the resource\'s Region is taken', () => {
    const { here } = setup();
    const imported = kms.Key.fromKeyArn(here, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new EncryptedBucket(here, 'Bucket', { encryptionKey: imported })).toThrow(/encryptionKey Here\/Imported is a key of Region eu-west-1/);
    const local = kms.Key.fromKeyArn(here, 'Local', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new EncryptedBucket(here, 'LocalBucket', { encryptionKey: local })).not.toThrow();
  });

  test('a secret replica\'s key must be of the replica\'s Region: a MultiRegionKey replica there is taken, a key of a third Region refused', () => {
    const app = newApp();
    const primary = newStack(app, 'Primary', 'us-east-1');
    const replicas = newStack(app, 'Replicas', 'eu-west-1', { crossRegionReferences: true });
    const third = newStack(app, 'Third', 'ap-south-1');
    const multiRegion = new MultiRegionKey(primary, 'Key');
    const replica = multiRegion.addReplica(replicas);
    const secrets = newStack(app, 'Secrets', 'us-east-1');
    expect(() => new RotatingSecret(secrets, 'Good', {
      rotationLambda: rotationFunctionIn(secrets), encryptionKey: new CmkWithPolicy(secrets, 'Own'), replicaRegions: [{ region: 'eu-west-1', encryptionKey: replica }],
    })).not.toThrow();
    const elsewhere = new CmkWithPolicy(third, 'Far');
    expect(() => new RotatingSecret(secrets, 'Bad', { rotationLambda: rotationFunctionIn(secrets), replicaRegions: [{ region: 'eu-west-1', encryptionKey: elsewhere }] }))
      .toThrow(/replicaRegions\[0\]\.encryptionKey Third\/Far is a key of Region ap-south-1, but its replica is in eu-west-1/);
  });

  test('AcmFrontedAlb refuses an access log bucket of another Region', () => {
    const { keys, here } = setup();
    const logs = new AccessLogBucket(keys, 'Logs');
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(here, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
    expect(() => new AcmFrontedAlb(here, 'Web', { vpc: new ec2.Vpc(here, 'Vpc'), domainName: 'app.example.com', hostedZone, accessLogsBucket: logs }))
      .toThrow(/accessLogsBucket Keys\/Logs is in Region eu-west-1, but the load balancer is in us-east-1: Elastic Load Balancing writes access logs only/);
  });
});

let functions = 0;
function rotationFunctionIn(stack: Stack): lambda.Function {
  return new lambda.Function(stack, `Rotate${functions++}`, {
    runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
}
