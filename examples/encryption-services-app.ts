/**
 * Encrypting what CloudFormation cannot, and what was created unencrypted:
 * - a Parameter Store SecureString under a customer managed key (SecureStringParameter), generated
 *   at deploy time, read by the app role;
 * - EBS encryption by default for the account and Region (EbsEncryptionByDefault);
 * - the migration of an unencrypted RDS database and an unencrypted EBS volume: an encrypted copy
 *   of each one's snapshot (EncryptedSnapshotCopy), restored as a new database and a new volume.
 *
 * `cdk synth --app "npx ts-node --transpile-only examples/encryption-services-app.ts"`
 */
import { App, Aspects, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EnforceEncryption } from '../src';
import { EbsEncryptionByDefault } from '../src/constructs/ec2/ebs-encryption-by-default';
import { EncryptedSnapshotCopy, SnapshotSource } from '../src/constructs/snapshots/encrypted-snapshot-copy';
import { SecureStringParameter } from '../src/constructs/ssm/secure-string-parameter';

export class EncryptionServicesStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const appRole = new iam.Role(this, 'AppRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

    // A SecureString that CloudFormation alone cannot create; only the app role may read it.
    const apiToken = new SecureStringParameter(this, 'ApiToken', { parameterName: '/orders/api-token' });
    apiToken.grantRead(appRole);

    // Every new EBS volume of this account and Region is encrypted from now on.
    new EbsEncryptionByDefault(this, 'EbsDefault');

    // 1. Snapshot the unencrypted database (`aws rds create-db-snapshot --db-snapshot-identifier orders-unencrypted-final ...`),
    // 2. copy it, encrypted, 3. restore from the copy, 4. switch the app over, 5. delete the old database.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const ordersCopy = new EncryptedSnapshotCopy(this, 'OrdersCopy', { source: SnapshotSource.rdsDbSnapshot('orders-unencrypted-final') });
    new rds.DatabaseInstanceFromSnapshot(this, 'Orders', {
      snapshotIdentifier: ordersCopy.snapshotIdentifier,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    // A restore takes its encryption from the snapshot (CloudFormation inherits it; aws-cdk-lib
    // leaves StorageEncrypted out): the gate knows the snapshot is the encrypted copy above.

    // The same for a volume: snapshot it (`aws ec2 create-snapshot --volume-id ...`), copy it encrypted, create a volume from the copy.
    const scratchCopy = new EncryptedSnapshotCopy(this, 'ScratchCopy', { source: SnapshotSource.ebsSnapshot('snap-0123456789abcdef0') });
    new ec2.Volume(this, 'Scratch', {
      availabilityZone: vpc.availabilityZones[0],
      snapshotId: scratchCopy.snapshotIdentifier,
      encrypted: true,
      encryptionKey: scratchCopy.encryptionKey,
    });
  }
}

// Synthesizes when run as the app (`cdk synth --app ...`); tests import the stack without it.
if (require.main === module) {
  const app = new App({ context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
  new EncryptionServicesStack(app, 'EncryptionServices', { env: { account: '111111111111', region: 'eu-west-1' } });
  Aspects.of(app).add(new EnforceEncryption());
  app.synth();
}
