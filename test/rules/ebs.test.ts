/**
 * EBS rules: compliant, non-compliant and unresolvable cases beyond the catalogue's fixtures.
 */
import { CfnCondition, CfnParameter, Fn, NestedStack, Size } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EbsEncryptionByDefault, EncryptionGate, FindingKind } from '../../src';
import { findingsAfterSynth, isolatedVpc, newApp, newStack, verdictOn } from '../support/app';

const AMI = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0', 'us-east-1': 'ami-0123456789abcdef1' });
const T3 = new ec2.InstanceType('t3.micro');
const encryptedRoot = (deviceName = '/dev/xvda'): ec2.BlockDevice => ({ deviceName, volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) });

describe('CEG-EBS-1 volumes', () => {
  test('encrypted volumes pass; unencrypted, defaulted and explicitly false ones do not', () => {
    const stack = newStack(newApp());
    const az = 'eu-west-1a';
    new ec2.Volume(stack, 'Encrypted', { availabilityZone: az, size: Size.gibibytes(10), encrypted: true });
    new ec2.Volume(stack, 'Default', { availabilityZone: az, size: Size.gibibytes(10) });
    new ec2.CfnVolume(stack, 'False', { availabilityZone: az, size: 10, encrypted: false });
    // CloudFormation reads "true" as true; an escape hatch is how a string gets there (the typed L1 refuses it).
    new ec2.CfnVolume(stack, 'StringTrue', { availabilityZone: az, size: 10 }).addPropertyOverride('Encrypted', 'true');
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Encrypted/Resource', 'CEG-EBS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/StringTrue', 'CEG-EBS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Default/Resource', 'CEG-EBS-1')!.detail).toBe('The volume sets no Encrypted');
    expect(verdictOn(findings, 'Stack/False', 'CEG-EBS-1')!.detail).toBe('The volume sets Encrypted to false');
  });

  test('a volume from a snapshot without Encrypted, or with Encrypted from a parameter, is unresolvable', () => {
    const stack = newStack(newApp());
    const flag = new CfnParameter(stack, 'Encrypt', { type: 'String', allowedValues: ['true', 'false'] });
    new ec2.CfnVolume(stack, 'FromSnapshot', { availabilityZone: 'eu-west-1a', snapshotId: 'snap-0123456789abcdef0' });
    new ec2.CfnVolume(stack, 'FromParameter', { availabilityZone: 'eu-west-1a', size: 10, encrypted: flag.valueAsString as unknown as boolean });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/FromSnapshot', 'CEG-EBS-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/FromParameter', 'CEG-EBS-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });
});

describe('CEG-EBS-2 launch templates and launch configurations', () => {
  test('encrypted and instance-store mappings pass; an unencrypted EBS mapping is named', () => {
    const stack = newStack(newApp());
    new ec2.LaunchTemplate(stack, 'Good', {
      blockDevices: [encryptedRoot(), { deviceName: '/dev/sdb', volume: ec2.BlockDeviceVolume.ephemeral(0) }],
    });
    new ec2.LaunchTemplate(stack, 'Bad', {
      blockDevices: [encryptedRoot(), { deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(50) }],
    });
    new ec2.LaunchTemplate(stack, 'NoMappings');
    new autoscaling.CfnLaunchConfiguration(stack, 'Config', {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, encrypted: false } }],
    });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Good/Resource', 'CEG-EBS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/NoMappings/Resource', 'CEG-EBS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Bad/Resource', 'CEG-EBS-2')!.detail)
      .toBe('The launch template maps unencrypted EBS volumes: /dev/sdf (launch template Bad/Resource) sets no Ebs.Encrypted');
    expect(verdictOn(findings, 'Stack/Config', 'CEG-EBS-2')!.detail).toMatch(/\/dev\/xvda \(launch configuration Config\) sets Ebs.Encrypted to false/);
  });

  test('a mapping whose encryption is a parameter is unresolvable', () => {
    const stack = newStack(newApp());
    const flag = new CfnParameter(stack, 'Encrypt');
    new ec2.CfnLaunchTemplate(stack, 'Template', {
      launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: flag.valueAsString as unknown as boolean } }] },
    });
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Template', 'CEG-EBS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });
});

describe('CEG-EBS-3 instances', () => {
  test('an instance without a root mapping is flagged, saying why the AMI root volume is not proven encrypted', () => {
    const app = newApp();
    const stack = newStack(app);
    const vpc = isolatedVpc(stack);
    new ec2.Instance(stack, 'Bare', { vpc, instanceType: T3, machineImage: AMI });
    new ec2.Instance(stack, 'DataOnly', { vpc, instanceType: T3, machineImage: AMI, blockDevices: [{ deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(10, { encrypted: true }) }] });
    const findings = findingsAfterSynth(stack);
    for (const id of ['Bare', 'DataOnly']) {
      const finding = verdictOn(findings, `Stack/${id}/Resource`, 'CEG-EBS-3')!;
      expect(finding.kind).toBe(FindingKind.NON_COMPLIANT);
      expect(finding.detail).toMatch(/no block device mapping for the root device \(\/dev\/xvda or \/dev\/sda1\).*unless the account turned on EBS encryption by default/);
    }
  });

  test('encrypted root and data volumes pass; an unencrypted data volume is named; instance store is not EBS', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    new ec2.Instance(stack, 'Good', {
      vpc,
      instanceType: T3,
      machineImage: AMI,
      blockDevices: [encryptedRoot('/dev/sda1'), { deviceName: '/dev/sdb', volume: ec2.BlockDeviceVolume.ephemeral(0) }],
    });
    new ec2.Instance(stack, 'Bad', {
      vpc,
      instanceType: T3,
      machineImage: AMI,
      blockDevices: [encryptedRoot(), { deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(10, { encrypted: false }) }],
    });
    const findings = findingsAfterSynth(stack);
    expect(verdictOn(findings, 'Stack/Good/Resource', 'CEG-EBS-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Bad/Resource', 'CEG-EBS-3')!.detail)
      .toBe('The instance launches unencrypted EBS volumes: /dev/sdf (the instance) sets Ebs.Encrypted to false');
  });

  test('instances are judged through their launch template, by ID or by name, and their own mappings win', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const good = new ec2.CfnLaunchTemplate(stack, 'GoodTemplate', {
      launchTemplateName: 'good-template',
      launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }] },
    });
    const bare = new ec2.CfnLaunchTemplate(stack, 'BareTemplate', { launchTemplateData: { instanceType: 't3.micro' } });
    const leaky = new ec2.CfnLaunchTemplate(stack, 'LeakyTemplate', {
      launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: false } }] },
    });
    new ec2.CfnInstance(stack, 'ById', { launchTemplate: { launchTemplateId: good.ref, version: good.attrLatestVersionNumber } });
    new ec2.CfnInstance(stack, 'ByName', { launchTemplate: { launchTemplateName: 'good-template', version: '1' } });
    new ec2.CfnInstance(stack, 'ThroughBare', { launchTemplate: { launchTemplateId: bare.ref, version: '1' } });
    new ec2.CfnInstance(stack, 'FixesLeaky', {
      launchTemplate: { launchTemplateId: leaky.ref, version: '1' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }],
    });
    // CDK's own L2 with requireImdsv2 references its launch template by literal name.
    new ec2.Instance(stack, 'Imdsv2', { vpc, instanceType: T3, machineImage: AMI, requireImdsv2: true, blockDevices: [encryptedRoot()] });
    const findings = findingsAfterSynth(stack);
    expect(verdictOn(findings, 'Stack/ById', 'CEG-EBS-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/ByName', 'CEG-EBS-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/FixesLeaky', 'CEG-EBS-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Imdsv2/Resource', 'CEG-EBS-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/ThroughBare', 'CEG-EBS-3')!.detail).toMatch(/root device .* in the instance or launch template BareTemplate/);
    expect(verdictOn(findings, 'Stack/LeakyTemplate', 'CEG-EBS-2')!.kind).toBe(FindingKind.NON_COMPLIANT);
  });

  test('a launch template outside the app, or chosen by a parameter, is unresolvable', () => {
    const stack = newStack(newApp());
    const templateId = new CfnParameter(stack, 'TemplateId');
    new ec2.CfnInstance(stack, 'Outside', { launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', version: '1' } });
    new ec2.CfnInstance(stack, 'Parameter', { launchTemplate: { launchTemplateId: templateId.valueAsString, version: '1' } });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Outside', 'CEG-EBS-3')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Outside', 'CEG-EBS-3')!.detail).toMatch(/"lt-0123456789abcdef0" names a launch template that this app does not define/);
    expect(verdictOn(findings, 'Stack/Parameter', 'CEG-EBS-3')!.detail).toMatch(/Ref to the parameter "TemplateId"/);
  });
});

describe('CEG-EBS-4 Auto Scaling groups', () => {
  test('groups are judged through their launch template or launch configuration', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const good = new ec2.LaunchTemplate(stack, 'Good', { instanceType: T3, machineImage: AMI, blockDevices: [encryptedRoot()] });
    const bare = new ec2.LaunchTemplate(stack, 'Bare', { instanceType: T3, machineImage: AMI });
    new autoscaling.AutoScalingGroup(stack, 'FromGood', { vpc, launchTemplate: good });
    new autoscaling.AutoScalingGroup(stack, 'FromBare', { vpc, launchTemplate: bare });
    const config = new autoscaling.CfnLaunchConfiguration(stack, 'Config', {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }],
    });
    new autoscaling.CfnAutoScalingGroup(stack, 'FromConfig', { minSize: '1', maxSize: '1', launchConfigurationName: config.ref, availabilityZones: ['eu-west-1a'] });
    const findings = findingsAfterSynth(stack);
    expect(verdictOn(findings, 'Stack/FromGood/ASG', 'CEG-EBS-4')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/FromConfig', 'CEG-EBS-4')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/FromBare/ASG', 'CEG-EBS-4')!.detail).toMatch(/root device .* in launch template Bare\/Resource/);
  });

  test('a mixed instances policy is judged through every launch template it names', () => {
    const stack = newStack(newApp());
    const good = new ec2.CfnLaunchTemplate(stack, 'Good', { launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }] } });
    const bad = new ec2.CfnLaunchTemplate(stack, 'Bad', { launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: {} }] } });
    new autoscaling.CfnAutoScalingGroup(stack, 'Mixed', {
      minSize: '1',
      maxSize: '1',
      availabilityZones: ['eu-west-1a'],
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: good.ref, version: '1' },
          overrides: [{ instanceType: 'm6i.large', launchTemplateSpecification: { launchTemplateId: bad.ref, version: '1' } }],
        },
      },
    });
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Mixed', 'CEG-EBS-4')!.detail).toMatch(/\/dev\/xvda \(launch template Bad\) sets no Ebs.Encrypted/);
  });

  test('a launch template outside the app is unresolvable', () => {
    const stack = newStack(newApp());
    new autoscaling.CfnAutoScalingGroup(stack, 'Outside', {
      minSize: '1', maxSize: '1', availabilityZones: ['eu-west-1a'], launchTemplate: { launchTemplateName: 'shared-template', version: '3' },
    });
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Outside', 'CEG-EBS-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });
});

describe('EBS encryption by default', () => {
  test('an EbsEncryptionByDefault of the app proves unmapped root volumes in its account and Region only', () => {
    const app = newApp();
    const here = newStack(app, 'Here');
    const elsewhere = newStack(app, 'Elsewhere', 'us-east-1');
    const setting = new EbsEncryptionByDefault(here, 'Default', { allowAutoScaling: false });
    for (const stack of [here, elsewhere]) {
      new ec2.Instance(stack, 'Instance', { vpc: isolatedVpc(stack), instanceType: T3, machineImage: AMI }).node.addDependency(setting);
    }
    const findings = findingsAfterSynth(app, { ruleIds: ['CEG-EBS-3'] });
    expect(findings.map(f => f.constructPath)).toEqual(['Elsewhere/Instance/Resource']);
    expect(findings[0].detail).toMatch(/no block device mapping for the root device/);
  });

  test('only for resources CloudFormation creates after it: a dependency, a reference or a stack dependency', () => {
    const app = newApp();
    const here = newStack(app, 'Here');
    const setting = new EbsEncryptionByDefault(here, 'Default', { allowAutoScaling: false });
    const vpc = isolatedVpc(here);
    new ec2.Instance(here, 'Unordered', { vpc, instanceType: T3, machineImage: AMI });
    new ec2.Instance(here, 'After', { vpc, instanceType: T3, machineImage: AMI }).node.addDependency(setting);
    // Through a chain: the instance waits for a role that waits for the setting.
    const role = new iam.Role(here, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    role.node.addDependency(setting);
    new ec2.Instance(here, 'Chained', { vpc, instanceType: T3, machineImage: AMI, role });
    // In another stack of the same account and Region: ordered by a stack dependency only.
    const later = newStack(app, 'Later');
    later.node.addDependency(here);
    new ec2.Instance(later, 'Instance', { vpc: isolatedVpc(later), instanceType: T3, machineImage: AMI });
    const independent = newStack(app, 'Independent');
    new ec2.Instance(independent, 'Instance', { vpc: isolatedVpc(independent), instanceType: T3, machineImage: AMI });
    const findings = findingsAfterSynth(app, { ruleIds: ['CEG-EBS-3'] });
    expect(findings.map(f => f.constructPath).sort()).toEqual(['Here/Unordered/Resource', 'Independent/Instance/Resource']);
    for (const finding of findings) {
      expect(finding.detail).toMatch(/the EbsEncryptionByDefault Here\/Default\/Resource\/Default turns encryption by default on in this account and Region, but nothing makes CloudFormation create this resource after it/);
    }
  });
});

describe('AMI families named by their public SSM parameter', () => {
  const BOTTLEROCKET = '/aws/service/bottlerocket/aws-k8s-1.31/x86_64/latest/image_id';
  const UBUNTU = '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';
  const instance = (stack: ReturnType<typeof newStack>, id: string, machineImage: ec2.IMachineImage, devices: string[]) =>
    new ec2.Instance(stack, id, { vpc: isolatedVpc(stack), instanceType: T3, machineImage, blockDevices: devices.map(d => encryptedRoot(d)) });

  test('Bottlerocket maps a data volume (/dev/xvdb) besides the root: both must be mapped encrypted', () => {
    const app = newApp();
    const stack = newStack(app);
    const image = ec2.MachineImage.fromSsmParameter(BOTTLEROCKET);
    instance(stack, 'RootOnly', image, ['/dev/xvda']);
    instance(newStack(app, 'Both'), 'Both', image, ['/dev/xvda', '/dev/xvdb']);
    const findings = EncryptionGate.evaluate(app, { ruleIds: ['CEG-EBS-3'] });
    expect(verdictOn(findings, 'Stack/RootOnly/Resource', 'CEG-EBS-3')!.detail)
      .toMatch(/^The instance launches unencrypted EBS volumes: no block device mapping for \/dev\/xvdb, a volume its AMI maps besides the root, in the instance, so that volume comes from the AMI's snapshot/);
    expect(verdictOn(findings, 'Both/Both/Resource', 'CEG-EBS-3')).toBeUndefined();
  });

  test('an image resolved at launch (resolve:ssm:) or by a dynamic reference names its family too', () => {
    const app = newApp();
    const launch = ec2.MachineImage.resolveSsmParameterAtLaunch(UBUNTU);
    instance(newStack(app, 'A'), 'Xvda', launch, ['/dev/xvda']);
    instance(newStack(app, 'B'), 'Sda1', launch, ['/dev/sda1']);
    const dynamic = newStack(app, 'C');
    new ec2.CfnInstance(dynamic, 'Dynamic', {
      imageId: `{{resolve:ssm:${UBUNTU}}}`,
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }],
    });
    const findings = EncryptionGate.evaluate(app, { ruleIds: ['CEG-EBS-3'] });
    expect(verdictOn(findings, 'A/Xvda/Resource', 'CEG-EBS-3')!.detail).toMatch(/no block device mapping for the root device \(\/dev\/sda1, the root device of its AMI\)/);
    expect(verdictOn(findings, 'B/Sda1/Resource', 'CEG-EBS-3')).toBeUndefined();
    expect(verdictOn(findings, 'C/Dynamic', 'CEG-EBS-3')!.detail).toMatch(/\/dev\/sda1, the root device of its AMI/);
  });
});

test('an AMI the parent names by its SSM parameter and passes to a nested stack keeps its family; so does a String parameter defaulting to resolve:ssm:', () => {
  const app = newApp();
  const parent = newStack(app);
  const xvdaOnly = [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }];
  const ubuntu = ec2.MachineImage.fromSsmParameter('/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id');
  new ec2.CfnInstance(new NestedStack(parent, 'Nested'), 'Ubuntu', { imageId: ubuntu.getImage(parent).imageId, blockDeviceMappings: xvdaOnly });
  const deeper = new NestedStack(new NestedStack(parent, 'Outer'), 'Inner');
  const bottlerocket = ec2.MachineImage.fromSsmParameter('/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id');
  new ec2.CfnInstance(deeper, 'Bottlerocket', { imageId: bottlerocket.getImage(parent).imageId, blockDeviceMappings: xvdaOnly });
  const stringDefault = new CfnParameter(parent, 'Ami', { type: 'String', default: 'resolve:ssm:/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id' });
  new ec2.CfnInstance(parent, 'FromString', { imageId: stringDefault.valueAsString, blockDeviceMappings: xvdaOnly });
  // CDK passes the parent's parameter to the nested stacks when it synthesizes.
  const findings = findingsAfterSynth(app, { ruleIds: ['CEG-EBS-3'] });
  expect(verdictOn(findings, 'Stack/Nested/Ubuntu', 'CEG-EBS-3')!.detail).toMatch(/\/dev\/sda1, the root device of its AMI/);
  expect(verdictOn(findings, 'Stack/Outer/Inner/Bottlerocket', 'CEG-EBS-3')!.detail).toMatch(/no block device mapping for \/dev\/xvdb/);
  expect(verdictOn(findings, 'Stack/FromString', 'CEG-EBS-3')!.detail).toMatch(/no block device mapping for \/dev\/xvdb/);
});

test('what a nested stack\'s image parameter is given: a dynamic reference, its own default, a parent\'s path for its SSM type, at any depth', () => {
  const app = newApp();
  const BR = '/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id';
  const SSM = 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>';
  const xvdaOnly = [{ deviceName: '/dev/xvda', ebs: { encrypted: true } }];
  const instance = (scope: NestedStack, parameter: CfnParameter) => new ec2.CfnInstance(scope, 'I', { imageId: parameter.valueAsString, blockDeviceMappings: xvdaOnly });
  const own = new NestedStack(newStack(app, 'Own'), 'N');
  instance(own, new CfnParameter(own, 'Ami', { default: `{{resolve:ssm:${BR}}}` }));
  const given = new NestedStack(newStack(app, 'Given'), 'N', { parameters: { Ami: `{{resolve:ssm:${BR}}}` } });
  instance(given, new CfnParameter(given, 'Ami'));
  const middle = new NestedStack(newStack(app, 'Middle'), 'N');
  const grandchild = new NestedStack(middle, 'N2', { parameters: { Ami: new CfnParameter(middle, 'P', { default: `{{resolve:ssm:${BR}}}` }).valueAsString } });
  instance(grandchild, new CfnParameter(grandchild, 'Ami'));
  const top = newStack(app, 'Typed');
  const typed = new NestedStack(top, 'N', { parameters: { Ami: new CfnParameter(top, 'AmiPath', { default: BR }).valueAsString } });
  instance(typed, new CfnParameter(typed, 'Ami', { type: SSM }));
  // A condition on another parameter the parent passes decides nothing for this one.
  const conditional = newStack(app, 'Conditional');
  const prod = new CfnCondition(conditional, 'Prod', { expression: Fn.conditionEquals(new CfnParameter(conditional, 'Env').valueAsString, 'prod') });
  const sibling = new NestedStack(conditional, 'N', { parameters: { Ami: `{{resolve:ssm:${BR}}}`, Size: Fn.conditionIf(prod.logicalId, 'large', 'small').toString() } });
  new CfnParameter(sibling, 'Size');
  instance(sibling, new CfnParameter(sibling, 'Ami'));
  const findings = findingsAfterSynth(app, { ruleIds: ['CEG-EBS-3'] });
  for (const path of ['Own/N/I', 'Given/N/I', 'Middle/N/N2/I', 'Typed/N/I', 'Conditional/N/I']) {
    expect(verdictOn(findings, path, 'CEG-EBS-3')?.detail).toMatch(/no block device mapping for \/dev\/xvdb/);
  }
});

test('an unresolvable launch reads as one sentence', () => {
  const stack = newStack(newApp());
  new ec2.CfnInstance(stack, 'FromSnapshot', { imageId: 'ami-0123456789abcdef0', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { snapshotId: 'snap-0123456789abcdef0' } }] });
  const finding = verdictOn(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EBS-3'] }), 'Stack/FromSnapshot', 'CEG-EBS-3');
  expect(finding).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  expect(finding!.detail).toMatch(/^The encryption of the volumes the instance launches cannot be known: \/dev\/xvda/);
});
