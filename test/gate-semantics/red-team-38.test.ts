import { Aws, CfnCondition, CfnMapping, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { envStack, runAll, verdict } from './harness';

/**
 * Defects found by the thirty-eighth red-team pass (macros, transforms, language extensions), each
 * through the three front ends: what CloudFormation deploys there is not what the keys beside the
 * macro say.
 */

const VOLUME = { AvailabilityZone: 'eu-west-1a', Size: 10 };
const MACRO = { Name: 'OrgDefaults' };
const KMS = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] };

describe('an escape hatch that puts one intrinsic in place of all the properties', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const env = new CfnParameter(stack, 'Env', { allowedValues: ['prod', 'dev'] });
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') }).overrideLogicalId('IsProd');
    // CDK's merge replaces every typed property with the intrinsic: the template holds only it.
    new ec2.CfnVolume(stack, 'ByCondition', { availabilityZone: 'eu-west-1a', size: 10, encrypted: true })
      .addPropertyOverride('Fn::If', ['IsProd', { ...VOLUME, Encrypted: true }, { ...VOLUME, Encrypted: false }]);
    new ec2.CfnVolume(stack, 'ByMacro', { availabilityZone: 'eu-west-1a', size: 10, encrypted: true })
      .addPropertyOverride('Fn::Transform', { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/volume.yaml' } });
    new s3.CfnBucket(stack, 'Bucket', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] } })
      .addOverride('Properties', { 'Fn::Transform': MACRO });
    new ec2.CfnVolume(stack, 'Control', { availabilityZone: 'eu-west-1a', size: 10, encrypted: true });
  }, { ruleIds: ['CEG-EBS-1', 'CEG-S3-1'] });
  test('Fn::If over all the properties is judged by its branches: the dev branch is unencrypted', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/ByCondition')).toBe('non-compliant');
  });
  test('a macro in place of all the properties is unresolvable, whatever the typed properties say', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/ByMacro')).toBe('unresolvable');
    expect(verdict(results, 'CEG-S3-1', 'Stack/Bucket')).toBe('unresolvable');
  });
  test('the typed properties alone (control)', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Control')).toBe('pass');
  });
});

describe('Fn::Transform beside other keys: the macro returns the object, the keys are only its input', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    new CfnResource(stack, 'Volume', { type: 'AWS::EC2::Volume', properties: { ...VOLUME, 'Encrypted': true, 'Fn::Transform': MACRO } });
    new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { BucketEncryption: { ...KMS, 'Fn::Transform': MACRO } } });
    new CfnResource(stack, 'Instance', {
      type: 'AWS::EC2::Instance',
      properties: {
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { 'VolumeSize': 8, 'Encrypted': true, 'Fn::Transform': MACRO } }],
      },
    });
    // The same keys without the macro (control).
    new CfnResource(stack, 'Plain', { type: 'AWS::EC2::Volume', properties: { ...VOLUME, Encrypted: true } });
  }, { ruleIds: ['CEG-EBS-1', 'CEG-EBS-3', 'CEG-S3-1'] });
  test('among the properties, inside a property, inside a list element: unresolvable', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Volume')).toBe('unresolvable');
    expect(verdict(results, 'CEG-S3-1', 'Stack/Bucket')).toBe('unresolvable');
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Instance')).toBe('unresolvable');
  });
  test('without the macro (control)', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Plain')).toBe('pass');
  });
});

describe('Fn::FindInMap over the stack\'s own mapping, keys known: the entry, a literal (CloudFormation takes nothing else there)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const encryption = new CfnMapping(stack, 'Encryption', { mapping: { prod: { volumes: true }, dev: { volumes: false } } });
    const volume = (id: string, encrypted: string) => new ec2.CfnVolume(stack, id, { availabilityZone: 'eu-west-1a', size: 10, encrypted: encrypted as unknown as boolean });
    volume('Prod', encryption.findInMap('prod', 'volumes'));
    volume('Dev', encryption.findInMap('dev', 'volumes'));
    // By Region: a stack with an env knows its Region.
    const byRegion = new CfnMapping(stack, 'ByRegion', { mapping: { 'eu-west-1': { volumes: true }, 'us-east-1': { volumes: false } } });
    volume('Here', byRegion.findInMap(Aws.REGION, 'volumes'));
    // A missing entry with the language extensions' DefaultValue takes it.
    volume('Defaulted', encryption.findInMap('test', 'volumes', 'false'));
    const agnostic = new Stack(app, 'Agnostic');
    const there = new CfnMapping(agnostic, 'ByRegion', { mapping: { 'eu-west-1': { volumes: true }, 'us-east-1': { volumes: false } } });
    new ec2.CfnVolume(agnostic, 'Anywhere', { availabilityZone: 'eu-west-1a', size: 10, encrypted: there.findInMap(Aws.REGION, 'volumes') as unknown as boolean });
  }, { ruleIds: ['CEG-EBS-1'] });
  test('literal keys: the entry decides', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Prod')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Dev')).toBe('non-compliant');
  });
  test('the Region of a stack with an env: the entry decides; of an environment-agnostic stack: unresolvable', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Here')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'Agnostic/Anywhere')).toBe('unresolvable');
  });
  test('a missing entry takes the DefaultValue', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Defaulted')).toBe('non-compliant');
  });
});
