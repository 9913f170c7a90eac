import { Fn, NestedStack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { envStack, runAll, verdict } from './harness';
import { EbsEncryptionByDefault, RuleService } from '../../src';

/** Defects found by the seventh red-team pass (on the sixth pass's fixes), each through the three front ends. */

const instance = (scope: Construct) => new ec2.CfnInstance(scope, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });

describe('an EbsEncryptionByDefault and an instance inside one nested stack (CEG-EBS-3)', () => {
  const results = runAll(app => {
    // One setting per account and Region: each case in a Region of its own.
    const same = new NestedStack(envStack(app, 'Same', 'eu-west-1'), 'Nested');
    new EbsEncryptionByDefault(same, 'EbsDefault', { allowAutoScaling: false });
    instance(same);
    const outer = new NestedStack(envStack(app, 'Deeper', 'eu-west-2'), 'Nested');
    new EbsEncryptionByDefault(outer, 'EbsDefault', { allowAutoScaling: false });
    instance(new NestedStack(outer, 'Inner'));
    const ordered = new NestedStack(envStack(app, 'Ordered', 'eu-central-1'), 'Nested');
    instance(ordered).node.addDependency(new EbsEncryptionByDefault(ordered, 'EbsDefault', { allowAutoScaling: false }));
  }, { services: [RuleService.EBS] });
  test('without a dependency they may be created at once, also one nested stack deeper: non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Same/Nested/Instance')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EBS-3', 'Deeper/Nested/Inner/Instance')).toBe('non-compliant');
  });
  test('with one: pass', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Ordered/Nested/Instance')).toBe('pass');
  });
});

describe('a name built with Fn::Join or Fn::Sub around a reference names another resource (CEG-S3-2, CEG-RDS-2)', () => {
  const encryption = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };
  const weak = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-logs/*' }] };
  const results = runAll(app => {
    const stack = envStack(app);
    const named = new s3.CfnBucket(stack, 'App', { bucketName: 'app', bucketEncryption: encryption });
    new s3.CfnBucket(stack, 'Logs', { bucketName: 'app-logs', bucketEncryption: encryption });
    // A policy without a TLS Deny on `app-logs`, not on `app`.
    new s3.CfnBucketPolicy(stack, 'Weak', { bucket: Fn.join('', [named.ref, '-logs']), policyDocument: weak });
    const source = new rds.CfnDBInstance(stack, 'Source', {
      dbInstanceIdentifier: 'db1', engine: 'postgres', engineVersion: '16.4', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true,
    });
    new rds.CfnDBInstance(stack, 'Old', {
      dbInstanceIdentifier: 'db1-old', engine: 'postgres', engineVersion: '16.4', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: false,
    });
    new rds.CfnDBInstance(stack, 'Replica', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: Fn.join('', [source.ref, '-old']) });
    // An ARN that ends in the reference (what formatArn builds) still names the referenced instance.
    new rds.CfnDBInstance(stack, 'ByArn', {
      dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: Fn.join('', ['arn:', stack.partition, ':rds:eu-west-1:111111111111:db:', source.ref]),
    });
  }, { services: [RuleService.S3, RuleService.RDS] });
  test('the policy is not the referenced bucket\'s: neither bucket passes on it', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/App')).toBe('unresolvable');
    expect(verdict(results, 'CEG-S3-2', 'Stack/Logs')).toBe('unresolvable');
  });
  test('a replica of `${ref}-old` is not a replica of the referenced instance: unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/Replica')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/ByArn')).toBe('pass');
  });
});
