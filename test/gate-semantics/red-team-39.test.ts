import { CfnMapping, CfnParameter, CfnResource, Fn, NestedStack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { envStack, runAll, verdict } from './harness';

/** Defects found by the thirty-ninth red-team pass (on the thirty-eighth pass's fixes), each through the three front ends. */

const MACRO = { Name: 'OrgDefaults' };
const INCLUDE = { Name: 'AWS::Include', Parameters: { Location: 's3://org-snippets/statement.yaml' } };
const TLS_DENY = { Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };

describe('a referrer whose properties a macro returns may refer to anything of its stack', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED });
    // A second policy of the bucket (the last applied wins), its properties the macro's output.
    new CfnResource(stack, 'Second', {
      type: 'AWS::S3::BucketPolicy',
      properties: {
        'Bucket': bucket.bucketName,
        'PolicyDocument': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket.bucketArn}/*` }] },
        'Fn::Transform': MACRO,
      },
    });
    const alb = new elbv2.CfnLoadBalancer(stack, 'Alb', { subnets: ['subnet-1', 'subnet-2'] });
    const group = new elbv2.CfnTargetGroup(stack, 'Group', { port: 80, protocol: 'HTTP', vpcId: 'vpc-1' });
    const listener = new elbv2.CfnListener(stack, 'Http', {
      loadBalancerArn: alb.ref,
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
    new CfnResource(stack, 'Rule', {
      type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      properties: {
        'ListenerArn': listener.ref,
        'Priority': 1,
        'Conditions': [{ Field: 'path-pattern', Values: ['/*'] }],
        'Actions': [{ Type: 'forward', TargetGroupArn: group.ref }],
        'Fn::Transform': MACRO,
      },
    });
  }, { ruleIds: ['CEG-S3-2', 'CEG-ELB-1'] });
  test('a bucket policy and a listener rule: unresolvable (they were dropped, a pass)', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/Bucket/Resource')).toBe('unresolvable');
    expect(verdict(results, 'CEG-ELB-1', 'Stack/Http')).toBe('unresolvable');
  });
});

test('a bucket policy of another stack whose properties a macro returns, importing the bucket\'s name: unresolvable there too', () => {
  const results = runAll(app => {
    const owner = envStack(app, 'A');
    const bucket = new s3.Bucket(owner, 'Bucket', { enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, bucketName: 'data-x' });
    owner.exportValue(bucket.bucketName, { name: 'DataBucket' });
    new CfnResource(envStack(app, 'B'), 'Second', {
      type: 'AWS::S3::BucketPolicy',
      properties: {
        'Bucket': Fn.importValue('DataBucket'),
        'PolicyDocument': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data-x/*' }] },
        'Fn::Transform': MACRO,
      },
    });
  }, { ruleIds: ['CEG-S3-2'] });
  expect(verdict(results, 'CEG-S3-2', 'A/Bucket/Resource')).toBe('unresolvable');
});

describe('a policy statement a macro returns: it may allow anything, and deny nothing the others do not', () => {
  const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' };
  const results = runAll(app => {
    const stack = envStack(app);
    new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: [admin, { 'Fn::Transform': INCLUDE }] } });
    new kms.CfnKey(stack, 'Beside', {
      enableKeyRotation: true,
      keyPolicy: { Version: '2012-10-17', Statement: [admin, { 'Effect': 'Allow', 'Principal': { AWS: '222222222222' }, 'Action': 'kms:Decrypt', 'Resource': '*', 'Fn::Transform': MACRO }] },
    });
    new efs.CfnFileSystem(stack, 'Denied', { encrypted: true, fileSystemPolicy: { Version: '2012-10-17', Statement: [TLS_DENY, { 'Fn::Transform': INCLUDE }] } });
    new efs.CfnFileSystem(stack, 'Open', { encrypted: true, fileSystemPolicy: { Version: '2012-10-17', Statement: [{ 'Fn::Transform': INCLUDE }] } });
  }, { ruleIds: ['CEG-KMS-2', 'CEG-EFS-2'], levels: { 'CEG-EFS-2': 'error' as never } });
  test('a key policy: whether it is public is unresolvable (it was ignored, a pass)', () => {
    expect(verdict(results, 'CEG-KMS-2', 'Stack/Key')).toBe('unresolvable');
    expect(verdict(results, 'CEG-KMS-2', 'Stack/Beside')).toBe('unresolvable');
  });
  test('a TLS-only Deny beside it stands; without one, unresolvable', () => {
    expect(verdict(results, 'CEG-EFS-2', 'Stack/Denied')).toBe('pass');
    expect(verdict(results, 'CEG-EFS-2', 'Stack/Open')).toBe('unresolvable');
  });
});

test('a nested stack resource whose properties a macro returns passes parameters only the deployment knows', () => {
  const results = runAll(app => {
    const parent = envStack(app, 'P');
    const nested = new NestedStack(parent, 'N');
    const encrypted = new CfnParameter(nested, 'Enc', { default: 'true' });
    encrypted.overrideLogicalId('Enc');
    new ec2.CfnVolume(nested, 'V', { availabilityZone: 'eu-west-1a', size: 10, encrypted: encrypted.valueAsString as unknown as boolean });
    const resource = nested.nestedStackResource as CfnResource;
    resource.addPropertyOverride('Fn::Transform', MACRO);
    resource.addPropertyOverride('TimeoutInMinutes', 30);
  }, { ruleIds: ['CEG-EBS-1'] });
  expect(verdict(results, 'CEG-EBS-1', 'P/N/V')).toBe('unresolvable');
});

describe('Fn::FindInMap: what the template holds, as CloudFormation reads it', () => {
  const volume = (stack: ReturnType<typeof envStack>, id: string, encrypted: unknown) =>
    new CfnResource(stack, id, { type: 'AWS::EC2::Volume', properties: { AvailabilityZone: 'eu-west-1a', Size: 10, Encrypted: encrypted } });
  const results = runAll(app => {
    const stack = envStack(app);
    // A macro in the mapping (AWS::Include of its entries) returns it whole.
    const included = new CfnMapping(stack, 'Included', { mapping: { 'prod': { vol: true }, 'Fn::Transform': INCLUDE } as never });
    volume(stack, 'FromIncluded', included.findInMap('prod', 'vol'));
    // A lazy mapping that nothing made CDK render is not in the template (CloudFormation refuses the lookup).
    const lazy = new CfnMapping(stack, 'Lazy', { mapping: { prod: { vol: true } }, lazy: true });
    volume(stack, 'FromLazy', Fn.findInMap(lazy.logicalId, 'prod', 'vol'));
    // A fourth argument without the language extensions: a template CloudFormation refuses.
    const plain = new CfnMapping(stack, 'Plain', { mapping: { prod: { vol: true } } });
    volume(stack, 'FourArguments', { 'Fn::FindInMap': [plain.logicalId, 'prod', 'vol', { DefaultValue: 'true' }] });
    // The extensions declared the deprecated way (CDK copies it into `transforms` only when rendering).
    const extended = envStack(app, 'Extended');
    (extended.templateOptions as { transform?: string }).transform = 'AWS::LanguageExtensions';
    const mapping = new CfnMapping(extended, 'M', { mapping: { prod: { vol: true } } });
    volume(extended, 'Defaulted', { 'Fn::FindInMap': [mapping.logicalId, 'dev', 'vol', { DefaultValue: 'false' }] });
  }, { ruleIds: ['CEG-EBS-1'] });
  test('a mapping a macro returns, a lazy mapping not rendered, a fourth argument without the extensions: unresolvable', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/FromIncluded')).toBe('unresolvable');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/FromLazy')).toBe('unresolvable');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/FourArguments')).toBe('unresolvable');
  });
  test('the extensions declared with the deprecated templateOptions.transform: the DefaultValue, in every front end', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Extended/Defaulted')).toBe('non-compliant');
  });
});
