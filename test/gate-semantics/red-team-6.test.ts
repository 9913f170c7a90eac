import { CfnCondition, CfnParameter, CfnResource, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCOUNT, envStack, runAll, verdict } from './harness';
import { EbsEncryptionByDefault, RuleService } from '../../src';

/** Defects found by the sixth red-team pass (on the fifth pass's fixes), each through the three front ends. */

const instance = (scope: Construct, id = 'Instance') => new ec2.CfnInstance(scope, id, { imageId: 'ami-12345678', instanceType: 't3.micro' });
const settingResource = (setting: EbsEncryptionByDefault) => setting.resource.node.defaultChild as CfnResource;

describe('the order CloudFormation creates an instance and an EbsEncryptionByDefault in (CEG-EBS-3)', () => {
  const results = runAll(app => {
    // One setting per account and Region: each case in a Region of its own.
    // A Ref to the setting on one Fn::If branch orders them only where that branch is taken.
    const conditional = envStack(app, 'Conditional', 'eu-west-1');
    const setting = new EbsEncryptionByDefault(conditional, 'EbsDefault', { allowAutoScaling: false });
    const env = new CfnParameter(conditional, 'Env', { type: 'String' });
    const isProd = new CfnCondition(conditional, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') });
    new ec2.CfnInstance(conditional, 'Instance', {
      imageId: 'ami-12345678',
      instanceType: 't3.micro',
      tags: [{ key: 'setting', value: Fn.conditionIf(isProd.logicalId, setting.resource.ref, 'none').toString() }],
    });
    // The setting in a nested stack: the nested stack's resource completes with it.
    const parent = envStack(app, 'Parent', 'eu-west-2');
    const inNested = new EbsEncryptionByDefault(new NestedStack(parent, 'Nested'), 'EbsDefault', { allowAutoScaling: false });
    instance(parent).node.addDependency(inNested);
    // Sibling nested stacks, one depending on the other.
    const siblings = envStack(app, 'Siblings', 'eu-central-1');
    const first = new NestedStack(siblings, 'First');
    new EbsEncryptionByDefault(first, 'EbsDefault', { allowAutoScaling: false });
    const second = new NestedStack(siblings, 'Second');
    second.node.addDependency(first);
    instance(second);
    // DependsOn written with an escape hatch, naming the setting's logical ID.
    const overridden = envStack(app, 'Overridden', 'us-east-1');
    const named = new EbsEncryptionByDefault(overridden, 'EbsDefault', { allowAutoScaling: false });
    instance(overridden).addOverride('DependsOn', [overridden.getLogicalId(settingResource(named))]);
  }, { services: [RuleService.EBS] });
  test('a reference on one Fn::If branch: non-compliant where the other branch is taken', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Conditional/Instance')).toBe('non-compliant');
  });
  test('through nested stacks and a DependsOn escape hatch: pass', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Parent/Instance')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-3', 'Siblings/Second/Instance')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-3', 'Overridden/Instance')).toBe('pass');
  });
});

describe('a bucket policy whose Bucket mixes a reference with a literal name or a parameter (CEG-S3-2)', () => {
  const encryption = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };
  const tlsOnly = (stack: Stack, id: string, bucket: s3.CfnBucket) => new s3.CfnBucketPolicy(stack, id, {
    bucket: bucket.ref,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }],
    },
  });
  // A policy without a TLS Deny: applied last, it replaces the good one.
  const weak = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-b/*' }] };
  const results = runAll(app => {
    const pair = (id: string, bucket: (a: s3.CfnBucket, stack: Stack) => string) => {
      const stack = envStack(app, id);
      const a = new s3.CfnBucket(stack, 'A', { bucketEncryption: encryption });
      tlsOnly(stack, 'GoodA', a);
      const b = new s3.CfnBucket(stack, 'B', { bucketName: `bucket-b-${id.toLowerCase()}`, bucketEncryption: encryption });
      tlsOnly(stack, 'GoodB', b);
      new s3.CfnBucketPolicy(stack, 'Weak', { bucket: bucket(a, stack), policyDocument: weak });
    };
    const condition = (stack: Stack) => new CfnCondition(stack, 'C', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Env', { type: 'String' }).valueAsString, 'a') });
    pair('If', (a, stack) => Fn.conditionIf(condition(stack).logicalId, a.ref, 'bucket-b-if').toString());
    pair('Select', a => Fn.select(1, [a.ref, 'bucket-b-select']));
    pair('Param', (a, stack) => Fn.conditionIf(condition(stack).logicalId, a.ref, new CfnParameter(stack, 'Target', { type: 'String' }).valueAsString).toString());
  }, { services: [RuleService.S3] });
  test('the literal name on a branch or element names the bucket: non-compliant', () => {
    expect(verdict(results, 'CEG-S3-2', 'If/B')).toBe('non-compliant');
    expect(verdict(results, 'CEG-S3-2', 'Select/B')).toBe('non-compliant');
  });
  test('a parameter on a branch may name it: unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-S3-2', 'Param/B')).toBe('unresolvable');
  });
});

describe('keys that requests made with CodeBuild credentials carry, on S3 and KMS requests (CEG-S3-2, CEG-KMS-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const bucket = new s3.CfnBucket(stack, 'Bucket', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] } });
    const resources = [bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])];
    new s3.CfnBucketPolicy(stack, 'Policy', {
      bucket: bucket.ref,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: resources,
          // Spares one project's builds: their requests carry codebuild:projectArn.
          Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringNotEqualsIfExists: { 'codebuild:projectArn': `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/legacy` } },
        }],
      },
    });
    new kms.CfnKey(stack, 'Key', {
      enableKeyRotation: true,
      keyPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringLike: { 'codebuild:projectArn': '*' } } },
        ],
      },
    });
  }, { services: [RuleService.S3, RuleService.KMS] });
  test('a TLS Deny that spares a project is no TLS Deny; a key open to every account\'s builds is public', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/Bucket')).toBe('non-compliant');
    expect(verdict(results, 'CEG-KMS-2', 'Stack/Key')).toBe('non-compliant');
  });
});

describe('an EFS replica into a file system named by another resource\'s value (CEG-EFS-1)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const parameter = new CfnResource(stack, 'Parameter', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'fs-0123456789abcdef0' } });
    new efs.CfnFileSystem(stack, 'FileSystem', {
      encrypted: true,
      kmsKeyId: key.keyArn,
      replicationConfiguration: { destinations: [{ region: 'us-east-1', fileSystemId: parameter.getAtt('Value').toString() }] },
    });
  }, { services: [RuleService.EFS], requireCustomerManagedKeys: true });
  test('its key is not shown: unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-EFS-1', 'Stack/FileSystem')).toBe('unresolvable');
  });
});
