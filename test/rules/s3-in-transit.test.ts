/**
 * S3 in-transit rules: TLS-only bucket policies (CEG-S3-2), TLS 1.2 minimum (CEG-S3-3), SSE-C blocked (CEG-S3-4).
 */
import { CfnCondition, Fn } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionGate, FindingKind } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

describe('S3 in-transit rules', () => {
  test('CEG-S3-2: TLS-only through a bucket policy, also as a separate L1 policy; missing or partial denies are flagged', () => {
    const stack = newStack(newApp());
    new s3.Bucket(stack, 'Enforced', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
    new s3.Bucket(stack, 'Open', { encryption: s3.BucketEncryption.S3_MANAGED });
    const l1 = new s3.CfnBucket(stack, 'L1', { bucketName: 'l1-bucket' });
    new s3.CfnBucketPolicy(stack, 'L1Policy', {
      bucket: 'l1-bucket',
      policyDocument: {
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::l1-bucket', 'arn:aws:s3:::l1-bucket/*'], Condition: { Bool: { 'aws:SecureTransport': false } } }],
      },
    });
    const partial = new s3.CfnBucket(stack, 'ObjectsOnly');
    new s3.CfnBucketPolicy(stack, 'ObjectsOnlyPolicy', {
      bucket: partial.ref,
      policyDocument: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: Fn.join('', [partial.attrArn, '/*']), Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-S3-2'] });
    expect(verdictOn(findings, 'Stack/Enforced/Resource', 'CEG-S3-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/L1', 'CEG-S3-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Open/Resource', 'CEG-S3-2')!.detail).toBe('No bucket policy applies to the bucket, so requests without TLS are accepted');
    expect(verdictOn(findings, 'Stack/ObjectsOnly', 'CEG-S3-2')!.detail).toMatch(/The statements of ObjectsOnlyPolicy do not deny s3:\* to every principal on the bucket and on every object in it for every request without TLS/);
    expect(l1.bucketName).toBe('l1-bucket');
  });

  test('CEG-S3-2: a policy document chosen by a condition known at synth time is judged by the branch it takes', () => {
    const stack = newStack(newApp());
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    const condition = new CfnCondition(stack, 'Strict', { expression: Fn.conditionEquals('a', 'a') });
    new s3.CfnBucketPolicy(stack, 'Policy', { bucket: bucket.ref, policyDocument: Fn.conditionIf(condition.logicalId, { Statement: [] }, { Statement: [] }) });
    // Fn::Equals of two literals is true at synth time: the (empty) first branch is the policy.
    expect(verdictOn(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-S3-2'] }), 'Stack/Bucket', 'CEG-S3-2')).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
  });

  test('CEG-S3-3 (warning): TLS 1.2 minimum; CEG-S3-4 (warning): SSE-C blocked', () => {
    const stack = newStack(newApp());
    new s3.Bucket(stack, 'Strict', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, minimumTLSVersion: 1.2, blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C] });
    new s3.Bucket(stack, 'Loose', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, minimumTLSVersion: 1.0 });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-S3-3', 'CEG-S3-4'] });
    expect(findings.map(f => `${f.ruleId} ${f.constructPath} ${f.level}`).sort()).toEqual([
      'CEG-S3-3 Stack/Loose/Resource warning',
      'CEG-S3-4 Stack/Loose/Resource warning',
    ]);
    expect(verdictOn(findings, 'Stack/Loose/Resource', 'CEG-S3-3')!.detail).toBe('The statements of Loose/Policy/Resource do not deny s3:* to every principal on the bucket and on every object in it for requests over TLS 1.0');
  });
});
