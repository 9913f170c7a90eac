import { Aws, CfnCondition, CfnParameter, CfnResource, Fn, Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { crashes, envStack, runAll, verdict } from './harness';

/** Class 3 of issue 13: escape hatches merged exactly as CDK merges them. */

const KMS_ENCRYPTION = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }] };

describe('escape hatches', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const env = new CfnParameter(stack, 'Env');
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') });
    // addDeletionOverride('Properties') removes every property, Encrypted included.
    const deleted = new ec2.CfnVolume(stack, 'DeletedProps', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true });
    deleted.addDeletionOverride('Properties');
    // addOverride('Properties', {...}) merges into the properties.
    const merged = new ec2.CfnVolume(stack, 'MergedProps', { availabilityZone: 'eu-west-1a', size: 1 });
    merged.addOverride('Properties', { Encrypted: true });
    // A token override replaces the whole value: the Fn::If is not merged with the kms rule below it.
    const replaced = new s3.Bucket(stack, 'Replaced', { encryption: s3.BucketEncryption.KMS_MANAGED, blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C] });
    (replaced.node.defaultChild as CfnResource).addPropertyOverride('BucketEncryption', Fn.conditionIf(isProd.logicalId, KMS_ENCRYPTION, Aws.NO_VALUE));
    // ...and an object override replaces a token that was there (CDK: intrinsics are leaves).
    const over = new s3.CfnBucket(stack, 'OverToken', { bucketEncryption: Fn.conditionIf(isProd.logicalId, KMS_ENCRYPTION, Aws.NO_VALUE) as any });
    over.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration', KMS_ENCRYPTION.ServerSideEncryptionConfiguration);
    // A deep override into a list element of an L2 instance.
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
    const instance = new ec2.Instance(stack, 'Instance', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-12345678' }),
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    });
    (instance.node.defaultChild as CfnResource).addPropertyOverride('BlockDeviceMappings.0.Ebs.Encrypted', false);
    // A string "false" override.
    const stringy = new ec2.CfnVolume(stack, 'StringFalse', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true });
    stringy.addOverride('Properties.Encrypted', 'false');
    // A Lazy that produces a token of another resource.
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const secret = new secretsmanager.CfnSecret(stack, 'LazySecret', {});
    secret.addPropertyOverride('KmsKeyId', Lazy.any({ produce: () => key.keyArn }));
    // A Condition added by override makes a compliant volume conditional: still fine.
    const conditional = new ec2.CfnVolume(stack, 'ConditionalBad', { availabilityZone: 'eu-west-1a', size: 1 });
    conditional.addOverride('Condition', isProd.logicalId);
    // Deleting a typed property that an L2 set.
    const l2 = new ec2.Volume(stack, 'L2Volume', { availabilityZone: 'eu-west-1a', size: cdkSize(), encrypted: true });
    (l2.node.defaultChild as CfnResource).addPropertyOverride('Encrypted', undefined);
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('addDeletionOverride(\'Properties\') removes Encrypted: non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/DeletedProps')).toBe('non-compliant');
  });
  test('addOverride(\'Properties\', { Encrypted: true }) merges: pass', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/MergedProps')).toBe('pass');
  });
  test('a token override replaces the whole BucketEncryption (its NoValue branch): non-compliant', () => {
    expect(verdict(results, 'CEG-S3-1', 'Stack/Replaced/Resource')).toBe('non-compliant');
  });
  test('an object override replaces an intrinsic that was there: pass', () => {
    expect(verdict(results, 'CEG-S3-1', 'Stack/OverToken')).toBe('pass');
  });
  test('override into a list element (BlockDeviceMappings.0.Ebs.Encrypted false): non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Instance/Resource')).toBe('non-compliant');
  });
  test('Encrypted overridden with the string "false": non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/StringFalse')).toBe('non-compliant');
  });
  test('KmsKeyId from a Lazy producing key.keyArn: pass', () => {
    expect(verdict(results, 'CEG-SM-1', 'Stack/LazySecret')).toBe('pass');
  });
  test('an unencrypted volume that exists only in prod (Condition override) is still non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/ConditionalBad')).toBe('non-compliant');
  });
  test('a property deleted with addPropertyOverride(p, undefined): non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/L2Volume/Resource')).toBe('non-compliant');
  });
});

function cdkSize() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-cdk-lib').Size.gibibytes(1);
}

describe('an escape hatch on Type: the resource is judged as the type the template shows', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    // A plain L1 of another type turned into an unencrypted volume.
    const topic = new CfnResource(stack, 'WasTopic', { type: 'AWS::SNS::Topic', properties: { AvailabilityZone: 'eu-west-1a', Size: 1 } });
    topic.addOverride('Type', 'AWS::EC2::Volume');
    // A typed bucket turned into a volume, its properties replaced.
    const bucket = new s3.CfnBucket(stack, 'WasBucket');
    bucket.addOverride('Type', 'AWS::EC2::Volume');
    bucket.addOverride('Properties', { AvailabilityZone: 'eu-west-1a', Size: 1 });
    // The type given by a Lazy renders what it produces; an encrypted one passes.
    const lazy = new CfnResource(stack, 'LazyType', { type: 'AWS::SNS::Topic', properties: { AvailabilityZone: 'eu-west-1a', Size: 1, Encrypted: true } });
    lazy.addOverride('Type', Lazy.string({ produce: () => 'AWS::EC2::Volume' }));
    // CloudFormation takes only a literal type: an intrinsic there leaves the L1's own type.
    const intrinsic = new ec2.CfnVolume(stack, 'IntrinsicType', { availabilityZone: 'eu-west-1a', size: 1 });
    intrinsic.addOverride('Type', { 'Fn::Join': ['', ['AWS::SNS::', 'Topic']] });
  });

  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('the rules of the rendered type run, those of the L1\'s own do not', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/WasTopic')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/WasBucket')).toBe('non-compliant');
    expect(verdict(results, 'CEG-S3-1', 'Stack/WasBucket')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/LazyType')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/IntrinsicType')).toBe('non-compliant');
  });
});
