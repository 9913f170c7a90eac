import { CfnCondition, CfnParameter, Fn, Size } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionGate, FindingKind } from '../../src';
import { findingsAfterSynth, isolatedVpc, newApp, newStack, verdictOn } from '../support/app';

const AMI = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0', 'us-east-1': 'ami-0123456789abcdef1' });
const T3 = new ec2.InstanceType('t3.micro');
const encryptedRoot = (deviceName = '/dev/xvda'): ec2.BlockDevice => ({ deviceName, volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) });

describe('CEG-S3-1 bucket server-side encryption', () => {
  test('SSE-S3, KMS, KMS-managed and DSSE buckets pass; requireKmsForS3 flags only SSE-S3', () => {
    const app = newApp();
    const stack = newStack(app);
    new s3.Bucket(stack, 'SseS3', { encryption: s3.BucketEncryption.S3_MANAGED });
    new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    new s3.Bucket(stack, 'KmsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED });
    new s3.Bucket(stack, 'Dsse', { encryption: s3.BucketEncryption.DSSE_MANAGED });

    expect(EncryptionGate.evaluate(stack).filter(f => f.ruleId === 'CEG-S3-1')).toEqual([]);

    const strict = EncryptionGate.evaluate(stack, { requireKmsForS3: true }).filter(f => f.ruleId === 'CEG-S3-1');
    expect(strict.map(f => f.constructPath)).toEqual(['Stack/SseS3/Resource']);
    expect(strict[0].message).toMatch(/^CEG-S3-1: The bucket uses SSE-S3 \(AES256\) but requireKmsForS3/);
    expect(strict[0].location).toBe('Properties.BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm');
  });

  test('a bucket that declares no encryption (the L2 default, an L1) is non-compliant', () => {
    const stack = newStack(newApp());
    new s3.CfnBucket(stack, 'Plain');
    new s3.Bucket(stack, 'L2Default');
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/L2Default/Resource', 'CEG-S3-1')?.kind).toBe(FindingKind.NON_COMPLIANT);
    const finding = verdictOn(EncryptionGate.evaluate(stack), 'Stack/Plain', 'CEG-S3-1');
    expect(finding).toMatchObject({ kind: FindingKind.NON_COMPLIANT, level: 'error', location: 'Properties.BucketEncryption', resourceType: 'AWS::S3::Bucket' });
    expect(finding!.message).toMatch(/^CEG-S3-1: The bucket declares no BucketEncryption.*Fix: Set `encryption`/);
  });

  test('an escape hatch that deletes encryption from an L2 bucket is seen', () => {
    const stack = newStack(newApp());
    const bucket = new s3.Bucket(stack, 'Hatched', { encryption: s3.BucketEncryption.KMS_MANAGED });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('BucketEncryption');
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Hatched/Resource', 'CEG-S3-1')?.kind).toBe(FindingKind.NON_COMPLIANT);
  });

  test('a nested override of the algorithm is merged like CloudFormation would see it', () => {
    const stack = newStack(newApp());
    const bucket = new s3.Bucket(stack, 'Overridden', { encryption: s3.BucketEncryption.KMS_MANAGED });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(
      'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm', 'AES256');
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Overridden/Resource', 'CEG-S3-1')).toBeUndefined();
    expect(verdictOn(EncryptionGate.evaluate(stack, { requireKmsForS3: true }), 'Stack/Overridden/Resource', 'CEG-S3-1')?.kind)
      .toBe(FindingKind.NON_COMPLIANT);
  });

  test('an unknown algorithm and a rule without an algorithm are non-compliant', () => {
    const stack = newStack(newApp());
    new s3.CfnBucket(stack, 'Odd', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'rot13' } }] } });
    new s3.CfnBucket(stack, 'Empty', { bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true }] } });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Odd', 'CEG-S3-1')!.detail).toMatch(/SSEAlgorithm "rot13" is not/);
    expect(verdictOn(findings, 'Stack/Empty', 'CEG-S3-1')!.detail).toMatch(/sets no ServerSideEncryptionByDefault.SSEAlgorithm/);
  });

  test('an algorithm from a parameter or a condition is unresolvable, never a pass', () => {
    const stack = newStack(newApp());
    const algorithm = new CfnParameter(stack, 'Algorithm', { default: 'AES256' });
    const condition = new CfnCondition(stack, 'UseKms', { expression: Fn.conditionEquals(algorithm.valueAsString, 'aws:kms') });
    new s3.CfnBucket(stack, 'FromParameter', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: algorithm.valueAsString } }] },
    });
    new s3.CfnBucket(stack, 'FromCondition', {
      bucketEncryption: Fn.conditionIf(condition.logicalId, { ServerSideEncryptionConfiguration: [] }, Fn.ref('AWS::NoValue')),
    });
    const findings = EncryptionGate.evaluate(stack);
    const fromParameter = verdictOn(findings, 'Stack/FromParameter', 'CEG-S3-1')!;
    expect(fromParameter).toMatchObject({ kind: FindingKind.UNRESOLVABLE, level: 'error' });
    expect(fromParameter.detail).toMatch(/Ref to "Algorithm"/);
    // Fn::If is judged branch by branch: the branch with an empty configuration is non-compliant.
    expect(verdictOn(findings, 'Stack/FromCondition', 'CEG-S3-1')).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
    expect(verdictOn(findings, 'Stack/FromCondition', 'CEG-S3-1')!.detail).toMatch(/^When condition "UseKms" is (true|false): /);
  });
});

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

describe('CEG-RDS-1 and CEG-RDS-2 databases', () => {
  const postgres = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
  const aurora = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
  const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  test('instances: encrypted passes, default and false do not; parameter and snapshot restore are unresolvable', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    new rds.DatabaseInstance(stack, 'Encrypted', { engine: postgres, vpc, vpcSubnets: isolated, storageEncrypted: true });
    new rds.DatabaseInstance(stack, 'Default', { engine: postgres, vpc, vpcSubnets: isolated });
    const flag = new CfnParameter(stack, 'Encrypt');
    new rds.CfnDBInstance(stack, 'FromParameter', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', storageEncrypted: flag.valueAsString as unknown as boolean });
    new rds.CfnDBInstance(stack, 'Restored', { dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'arn:aws:rds:eu-west-1:111111111111:snapshot:old' });
    new rds.CfnDBInstance(stack, 'RestoredEncrypted', { dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'old', storageEncrypted: true });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Encrypted/Resource', 'CEG-RDS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/RestoredEncrypted', 'CEG-RDS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Default/Resource', 'CEG-RDS-2')!.detail).toBe('The DB instance\'s storage is not encrypted: StorageEncrypted is not set');
    expect(verdictOn(findings, 'Stack/FromParameter', 'CEG-RDS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Restored', 'CEG-RDS-2')!.detail).toMatch(/restored from DBSnapshotIdentifier without StorageEncrypted/);
  });

  test('Aurora members are judged through their cluster (cdk-nag passes every Aurora instance)', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    new rds.DatabaseCluster(stack, 'Plain', { engine: aurora, vpc, vpcSubnets: isolated, writer: rds.ClusterInstance.provisioned('Writer') });
    new rds.DatabaseCluster(stack, 'Secure', { engine: aurora, vpc, vpcSubnets: isolated, storageEncrypted: true, writer: rds.ClusterInstance.provisioned('Writer') });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-RDS-1')!.detail).toBe('The cluster\'s storage is not encrypted: StorageEncrypted is not set');
    expect(verdictOn(findings, 'Stack/Plain/Writer/Resource', 'CEG-RDS-2')!.detail)
      .toMatch(/member of DB cluster Plain\/Resource, whose storage encryption it takes, and that is not encrypted/);
    expect(verdictOn(findings, 'Stack/Secure/Resource', 'CEG-RDS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Secure/Writer/Resource', 'CEG-RDS-2')).toBeUndefined();
  });

  test('a member of a cluster outside the app, a serverless v1 cluster and a restored cluster', () => {
    const stack = newStack(newApp());
    new rds.CfnDBInstance(stack, 'Member', { engine: 'aurora-mysql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'shared-cluster' });
    new rds.CfnDBCluster(stack, 'Serverless', { engine: 'aurora-mysql', engineMode: 'serverless' });
    new rds.CfnDBCluster(stack, 'Restored', { engine: 'aurora-mysql', snapshotIdentifier: 'old-snapshot' });
    const source = new rds.CfnDBCluster(stack, 'Source', { engine: 'aurora-mysql', storageEncrypted: true });
    new rds.CfnDBCluster(stack, 'Clone', { engine: 'aurora-mysql', sourceDbClusterIdentifier: source.ref, restoreType: 'copy-on-write' });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Member', 'CEG-RDS-2')!.detail).toMatch(/"shared-cluster" names a DB cluster that this app does not define/);
    expect(verdictOn(findings, 'Stack/Serverless', 'CEG-RDS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Restored', 'CEG-RDS-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Clone', 'CEG-RDS-1')).toBeUndefined();
  });

  test('same-Region read replicas inherit their source\'s encryption (cdk-nag judges the replica\'s own property)', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const encrypted = new rds.DatabaseInstance(stack, 'Encrypted', { engine: postgres, vpc, vpcSubnets: isolated, storageEncrypted: true });
    const plain = new rds.DatabaseInstance(stack, 'Plain', { engine: postgres, vpc, vpcSubnets: isolated });
    new rds.DatabaseInstanceReadReplica(stack, 'GoodReplica', { sourceDatabaseInstance: encrypted, instanceType: T3, vpc, vpcSubnets: isolated });
    new rds.DatabaseInstanceReadReplica(stack, 'BadReplica', { sourceDatabaseInstance: plain, instanceType: T3, vpc, vpcSubnets: isolated, storageEncrypted: true });
    const findings = findingsAfterSynth(stack);
    expect(verdictOn(findings, 'Stack/GoodReplica/Resource', 'CEG-RDS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/BadReplica/Resource', 'CEG-RDS-2')!.detail).toMatch(/read replica of Plain\/Resource, whose encryption it inherits, and that is not encrypted/);
  });

  test('a cross-Region replica of an encrypted source needs a KmsKeyId in its Region', () => {
    const app = newApp();
    const primary = newStack(app, 'Primary', 'eu-west-1');
    new rds.CfnDBInstance(primary, 'Source', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', dbInstanceIdentifier: 'orders', storageEncrypted: true });
    const dr = newStack(app, 'Dr', 'us-east-1');
    const sourceArn = `arn:aws:rds:eu-west-1:${primary.account}:db:orders`;
    new rds.CfnDBInstance(dr, 'WithoutKey', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: sourceArn });
    new rds.CfnDBInstance(dr, 'WithKey', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: sourceArn, kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1' });
    new rds.CfnDBInstance(dr, 'UnknownSource', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: 'arn:aws:rds:eu-west-1:222222222222:db:elsewhere' });
    const findings = findingsAfterSynth(app);
    expect(verdictOn(findings, 'Dr/WithKey', 'CEG-RDS-2')).toBeUndefined();
    const withoutKey = verdictOn(findings, 'Dr/WithoutKey', 'CEG-RDS-2')!;
    expect(withoutKey).toMatchObject({ kind: FindingKind.NON_COMPLIANT, location: 'Properties.KmsKeyId' });
    expect(withoutKey.detail).toMatch(/cross-Region read replica of the encrypted Source and sets no KmsKeyId/);
    expect(verdictOn(findings, 'Dr/UnknownSource', 'CEG-RDS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });

  test('a cross-stack Aurora member is judged through the cluster in the other stack', () => {
    const app = newApp();
    const data = newStack(app, 'Data');
    const cluster = new rds.CfnDBCluster(data, 'Cluster', { engine: 'aurora-postgresql' });
    const compute = newStack(app, 'Compute');
    new rds.CfnDBInstance(compute, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    const findings = findingsAfterSynth(app);
    const template = app.synth().getStackByName('Compute').template;
    expect(template.Resources.Member.Properties.DBClusterIdentifier).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Data:ExportsOutputRefCluster/) });
    expect(verdictOn(findings, 'Compute/Member', 'CEG-RDS-2')!.detail).toMatch(/member of DB cluster Cluster/);
  });
});
