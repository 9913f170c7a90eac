/**
 * cdk-nag v3 as an oracle: on shared fixtures, our verdicts agree with its EC2EBSVolumeEncrypted,
 * RDSStorageEncrypted and S3DefaultEncryptionKMS (our gate with `requireKmsForS3`), except where
 * cdk-nag is wrong; each disagreement is a named test that says which side is right and why.
 *
 * A verdict is "flagged" when the tool reports the fixture's subject resource at all: for us a
 * non-compliant or unresolvable finding, for cdk-nag a violation (including "the rule threw").
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnResource } from 'aws-cdk-lib/core';
import { EncryptionGate, RuleService } from '../../src';
import { newApp, newStack } from '../support/app';
import { EncryptionNagPack } from '../support/encryption-nag-pack';

const KMS = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] };
const AES = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };
const ROOT = (encrypted?: boolean) => [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, encrypted } }];

interface Fixture {
  /** Whether a correct gate flags it. */
  readonly flagged: boolean;
  /** Builds the fixture in its own stack and returns the resource both tools judge. */
  build(stack: Stack): CfnResource;
}

const AGREED: { [name: string]: Fixture } = {
  'bucket with SSE-KMS': { flagged: false, build: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: KMS }) },
  'bucket without encryption': { flagged: true, build: s => new s3.CfnBucket(s, 'Subject') },
  'bucket with SSE-S3 only (KMS required)': { flagged: true, build: s => new s3.CfnBucket(s, 'Subject', { bucketEncryption: AES }) },
  'encrypted volume': { flagged: false, build: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true }) },
  'unencrypted volume': { flagged: true, build: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1 }) },
  'volume whose encryption is a parameter': {
    flagged: true,
    build: s => new ec2.CfnVolume(s, 'Subject', { availabilityZone: 'eu-west-1a', size: 1, encrypted: new CfnParameter(s, 'P').valueAsString as unknown as boolean }),
  },
  'instance with an encrypted root mapping': { flagged: false, build: s => new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: ROOT(true) }) },
  'instance with an unencrypted data volume': {
    flagged: true,
    build: s => new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: [...ROOT(true), { deviceName: '/dev/sdf', ebs: { volumeSize: 1 } }] }),
  },
  'instance through a launch template with an encrypted root': {
    flagged: false,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: ROOT(true) } });
      return new ec2.CfnInstance(s, 'Subject', { launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber } });
    },
  },
  'instance through a launch template with an unencrypted root': {
    flagged: true,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: ROOT(false) } });
      return new ec2.CfnInstance(s, 'Subject', { launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
  },
  'launch configuration with an encrypted root': {
    flagged: false,
    build: s => new autoscaling.CfnLaunchConfiguration(s, 'Subject', { imageId: 'ami-1', instanceType: 't3.micro', blockDeviceMappings: ROOT(true) }),
  },
  'launch configuration with an unencrypted root': {
    flagged: true,
    build: s => new autoscaling.CfnLaunchConfiguration(s, 'Subject', { imageId: 'ami-1', instanceType: 't3.micro', blockDeviceMappings: ROOT() }),
  },
  'Auto Scaling group through a launch template with an encrypted root': {
    flagged: false,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { blockDeviceMappings: ROOT(true) } });
      return new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
  },
  'Auto Scaling group through a launch template without mappings': {
    flagged: true,
    build: s => {
      const template = new ec2.CfnLaunchTemplate(s, 'Template', { launchTemplateData: { instanceType: 't3.micro' } });
      return new autoscaling.CfnAutoScalingGroup(s, 'Subject', { minSize: '1', maxSize: '1', launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    },
  },
  'encrypted DB instance': { flagged: false, build: s => new rds.CfnDBInstance(s, 'Subject', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true }) },
  'unencrypted DB instance': { flagged: true, build: s => new rds.CfnDBInstance(s, 'Subject', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro' }) },
  'DB instance restored from a snapshot without StorageEncrypted': {
    flagged: true,
    build: s => new rds.CfnDBInstance(s, 'Subject', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'old' }),
  },
  'encrypted Aurora cluster': { flagged: false, build: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql', storageEncrypted: true }) },
  'unencrypted Aurora cluster': { flagged: true, build: s => new rds.CfnDBCluster(s, 'Subject', { engine: 'aurora-mysql' }) },
  'Aurora member of an encrypted cluster': {
    flagged: false,
    build: s => {
      const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-mysql', storageEncrypted: true });
      return new rds.CfnDBInstance(s, 'Subject', { engine: 'aurora-mysql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    },
  },
};

/** Fixtures where cdk-nag is wrong: `flagged` is the right verdict, and cdk-nag gives the other. */
const DISAGREED: { [name: string]: Fixture & { readonly why: string } } = {
  'Aurora member of an unencrypted cluster': {
    flagged: true,
    why: 'cdk-nag passes every DB instance whose engine mentions "aurora"; the member\'s storage is its cluster\'s, which is unencrypted',
    build: s => {
      const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-mysql' });
      return new rds.CfnDBInstance(s, 'Subject', { engine: 'aurora-mysql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    },
  },
  'same-Region read replica of an encrypted source, without StorageEncrypted': {
    flagged: false,
    why: 'cdk-nag reads the replica\'s own StorageEncrypted; RDS ignores it for a replica, which inherits its source\'s encryption',
    build: s => {
      const source = new rds.CfnDBInstance(s, 'Source', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true });
      return new rds.CfnDBInstance(s, 'Subject', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref });
    },
  },
  'read replica claiming StorageEncrypted of an unencrypted source': {
    flagged: true,
    why: 'a replica of an unencrypted instance is unencrypted whatever its own property says',
    build: s => {
      const source = new rds.CfnDBInstance(s, 'Source', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro' });
      return new rds.CfnDBInstance(s, 'Subject', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref, storageEncrypted: true });
    },
  },
  'instance with an encrypted data volume and no root mapping': {
    flagged: true,
    why: 'cdk-nag only judges the mappings present; the root volume then comes from the AMI, unencrypted unless the account default says otherwise',
    build: s => new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/sdf', ebs: { volumeSize: 1, encrypted: true } }] }),
  },
  'instance without a launch template in a stack that has one': {
    flagged: false,
    why: 'cdk-nag\'s EC2EBSVolumeEncrypted throws on such an instance (it reads the name of an absent launch template) and reports the throw',
    build: s => {
      new ec2.CfnLaunchTemplate(s, 'Unrelated', { launchTemplateData: { blockDeviceMappings: ROOT(true) } });
      return new ec2.CfnInstance(s, 'Subject', { imageId: 'ami-1', blockDeviceMappings: ROOT(true) });
    },
  },
};

function verdicts(fixtures: { [name: string]: Fixture }): { [name: string]: { ours: boolean; nag: boolean } } {
  const app = newApp();
  const subjects = new Map<string, CfnResource>();
  Object.entries(fixtures).forEach(([name, fixture], i) => subjects.set(name, fixture.build(newStack(app, `Fixture${i}`))));
  app.synth();
  // Encryption at rest only: the rules that match cdk-nag's three.
  const ours = new Set(EncryptionGate.evaluate(app, { requireKmsForS3: true, services: [RuleService.EBS], ruleIds: ['CEG-S3-1', 'CEG-RDS-1', 'CEG-RDS-2'] })
    .map(f => f.constructPath));
  const report = new EncryptionNagPack(undefined, false).validateScope(app);
  const nag = new Set(report.violations.flatMap(v => v.violatingResources.map(r => r.constructPath)));
  return Object.fromEntries([...subjects].map(([name, subject]) => [name, { ours: ours.has(subject.node.path), nag: nag.has(subject.node.path) }]));
}

describe('agreement with cdk-nag on shared fixtures', () => {
  const results = verdicts(AGREED);
  test.each(Object.keys(AGREED))('%s', name => {
    expect(results[name]).toEqual({ ours: AGREED[name].flagged, nag: AGREED[name].flagged });
  });
});

describe('where cdk-nag is wrong', () => {
  const results = verdicts(DISAGREED);
  test.each(Object.entries(DISAGREED).map(([name, f]) => [name, f.why]))('%s: we are right, because %s', name => {
    expect(results[name]).toEqual({ ours: DISAGREED[name].flagged, nag: !DISAGREED[name].flagged });
  });
});
