/**
 * S3 rules: compliant, non-compliant and unresolvable cases beyond the catalogue's fixtures.
 */
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionGate, FindingKind } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';


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
