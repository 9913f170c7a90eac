/**
 * A non-compliant app: an unencrypted bucket, volume, instance root volume, DB instance and
 * Aurora cluster. `cdk synth --app "npx ts-node --transpile-only examples/noncompliant-app.ts"`
 * fails and lists every finding.
 */
import { App, Aspects, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EnforceEncryption } from '../src';

export class NonCompliantStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    new s3.Bucket(this, 'Uploads');
    new ec2.Volume(this, 'Scratch', { availabilityZone: vpc.availabilityZones[0], size: Size.gibibytes(20) });
    new ec2.Instance(this, 'Bastion', {
      vpc, vpcSubnets: isolated, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new rds.DatabaseInstance(this, 'Orders', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), vpc, vpcSubnets: isolated,
    });
    new rds.DatabaseCluster(this, 'Analytics', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: isolated,
      writer: rds.ClusterInstance.provisioned('Writer'),
    });
  }
}

// The Availability Zones a context lookup would return, so that synthesis needs no AWS account.
// Synthesizes when run as the app (`cdk synth --app ...`); tests import the stack without it.
if (require.main === module) {
  const app = new App({ context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
  new NonCompliantStack(app, 'NonCompliantApp', { env: { account: '111111111111', region: 'eu-west-1' } });
  Aspects.of(app).add(new EnforceEncryption());
  app.synth();
}
