/**
 * A compliant app: aws-cdk-lib's own L2s, configured the secure way, behind the gate.
 * `cdk synth --app "npx ts-node --transpile-only examples/compliant-app.ts"` succeeds.
 */
import { App, Aspects, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AccessLogBucket, CmkWithPolicy, EncryptedBucket, EncryptedRdsInstance, EnforceEncryption, RotatingSecret } from '../src';

export class CompliantStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // A customer managed key whose policy names who manages it; services use it through grants.
    const key = new CmkWithPolicy(this, 'DataKey', { alias: 'compliant-app-data', description: 'Encrypts this app\'s data at rest' });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    // SSE-KMS with bucket keys, TLS 1.2+ only, SSE-C blocked, uploads with another key refused, private, versioned.
    const logs = new AccessLogBucket(this, 'AccessLogs');
    new EncryptedBucket(this, 'Reports', { encryptionKey: key, serverAccessLogsBucket: logs });

    new ec2.Volume(this, 'Scratch', { availabilityZone: vpc.availabilityZones[0], size: Size.gibibytes(20), encrypted: true, encryptionKey: key });

    // The root volume is mapped explicitly: otherwise it comes from the AMI, unencrypted.
    const encryptedRoot = [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, kmsKey: key }) }];
    const machineImage = ec2.MachineImage.latestAmazonLinux2023();
    const instanceType = new ec2.InstanceType('t3.micro');
    new ec2.Instance(this, 'Bastion', { vpc, vpcSubnets: isolated, instanceType, machineImage, requireImdsv2: true, blockDevices: encryptedRoot });

    const template = new ec2.LaunchTemplate(this, 'WorkerTemplate', { instanceType, machineImage, requireImdsv2: true, blockDevices: encryptedRoot });
    new autoscaling.AutoScalingGroup(this, 'Workers', { vpc, vpcSubnets: isolated, launchTemplate: template, minCapacity: 1, maxCapacity: 3 });

    // Encrypted with the key, TLS forced in the engine, credentials in a secret rotated from inside the VPC.
    const orders = new EncryptedRdsInstance(this, 'Orders', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      vpcSubnets: isolated,
      storageEncryptionKey: key,
    });
    // A same-Region replica: the same key and TLS parameter group.
    orders.addReadReplica('OrdersReplica', { instanceType });

    // Aurora: encryption and TLS are set on the cluster; its credentials rotate too.
    const aurora = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
    const analyticsCredentials = new RotatingSecret(this, 'AnalyticsCredentials', {
      encryptionKey: key,
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'analytics' }), generateStringKey: 'password', excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\' },
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, vpcSubnets: isolated }),
    });
    new rds.DatabaseCluster(this, 'Analytics', {
      engine: aurora,
      vpc,
      vpcSubnets: isolated,
      storageEncrypted: true,
      storageEncryptionKey: key,
      credentials: rds.Credentials.fromSecret(analyticsCredentials),
      parameterGroup: new rds.ParameterGroup(this, 'AnalyticsTls', { engine: aurora, parameters: { 'rds.force_ssl': '1' } }),
      writer: rds.ClusterInstance.provisioned('Writer'),
    });
  }
}

// The Availability Zones a context lookup would return, so that synthesis needs no AWS account.
// Synthesizes when run as the app (`cdk synth --app ...`); tests import the stack without it.
if (require.main === module) {
  const app = new App({ context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
  new CompliantStack(app, 'CompliantApp', { env: { account: '111111111111', region: 'eu-west-1' } });
  Aspects.of(app).add(new EnforceEncryption());
  app.synth();
}
