import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { envStack, runAll, verdict } from './harness';

/** Defects found by the thirty-fourth red-team pass (CDK feature flags), each through the three front ends. */

describe('two resources of one name in the referrer\'s own stack: ambiguous for every referrer, not the first one\'s', () => {
  // Without @aws-cdk/aws-ec2:uniqueImdsv2TemplateName, ec2.Instance names each IMDSv2 launch
  // template `<id>LaunchTemplate`: two instances of one ID in one stack share the name (that stack
  // cannot deploy). The first template used to answer for both instances.
  const results = runAll(app => {
    const stack = envStack(app, 'A');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-1'] });
    for (const group of ['Blue', 'Green']) {
      new ec2.Instance(new Construct(stack, group), 'Web', {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        instanceType: new ec2.InstanceType('t3.micro'),
        machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-12345678' }),
        requireImdsv2: true,
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }],
      });
    }
  }, { ruleIds: ['CEG-EBS-3'] });
  test('both instances are unresolvable, naming both templates', () => {
    expect(verdict(results, 'CEG-EBS-3', 'A/Blue/Web/Resource')).toBe('unresolvable');
    expect(verdict(results, 'CEG-EBS-3', 'A/Green/Web/Resource')).toBe('unresolvable');
  });
});

test('one resource of the name in the own stack still answers (control)', () => {
  const results = runAll(app => {
    const stack = envStack(app, 'A');
    new ec2.CfnLaunchTemplate(stack, 'Template', {
      launchTemplateName: 'web',
      launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }] },
    });
    new ec2.CfnInstance(stack, 'Instance', { imageId: 'ami-12345678', launchTemplate: { launchTemplateName: 'web', version: '1' } });
  }, { ruleIds: ['CEG-EBS-3'] });
  expect(verdict(results, 'CEG-EBS-3', 'A/Instance')).toBe('pass');
});
