/**
 * A complete web app behind the gate: an AcmFrontedAlb (DNS-validated certificate, TLS 1.3
 * post-quantum policy, HTTP redirected, access logs in an SSE-S3 bucket) in front of an Auto Scaling
 * group whose instances launch with an encrypted root volume, and an EncryptedRdsInstance (TLS
 * forced, credentials rotated) that only the instances can reach.
 *
 * `cdk synth --app "npx ts-node --transpile-only examples/web-app.ts"`
 */
import { App, Aspects, Stack, StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { AcmFrontedAlb, CmkWithPolicy, EncryptedRdsInstance, EnforceEncryption } from '../src';

export class WebAppStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const key = new CmkWithPolicy(this, 'DataKey', { alias: 'web-app-data' });
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

    const web = new AcmFrontedAlb(this, 'Web', { vpc, domainName: 'shop.example.com', hostedZone });

    const instanceType = new ec2.InstanceType('t4g.small');
    const appSecurityGroup = new ec2.SecurityGroup(this, 'AppSecurityGroup', { vpc, description: 'App instances' });
    const appRole = new iam.Role(this, 'AppRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const template = new ec2.LaunchTemplate(this, 'AppTemplate', {
      instanceType,
      securityGroup: appSecurityGroup,
      role: appRole,
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      requireImdsv2: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, kmsKey: key }) }],
    });
    const app = new autoscaling.AutoScalingGroup(this, 'App', {
      vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, launchTemplate: template, minCapacity: 2, maxCapacity: 6,
    });
    web.addTargets('App', { port: 8080, targets: [app], healthCheck: { path: '/health' } });

    const db = new EncryptedRdsInstance(this, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncryptionKey: key,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      multiAz: true,
    });
    db.connections.allowDefaultPortFrom(app, 'the app instances');
    db.credentialsSecret?.grantRead(appRole);
  }
}

// Synthesizes when run as the app (`cdk synth --app ...`); tests import the stack without it.
if (require.main === module) {
  const app = new App({ context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
  new WebAppStack(app, 'WebApp', { env: { account: '111111111111', region: 'eu-west-1' } });
  Aspects.of(app).add(new EnforceEncryption({ requireKmsForS3: false }));
  app.synth();
}
