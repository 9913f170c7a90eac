/**
 * KMS rules: public principals, administrators, CreateGrant, rotation, on keys and replica keys.
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CmkWithPolicy, EncryptionGate, RuleService } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

function role(stack: Stack, id: string): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}


describe('KMS rules', () => {
  test('CEG-KMS-1: symmetric keys rotate; asymmetric and HMAC keys are not applicable; a parameter is unresolvable', () => {
    const stack = newStack(newApp());
    new kms.Key(stack, 'NoRotation');
    new kms.Key(stack, 'Rotating', { enableKeyRotation: true });
    new kms.Key(stack, 'Rsa', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    new kms.Key(stack, 'Hmac', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
    new kms.CfnKey(stack, 'FromParameter', { enableKeyRotation: new CfnParameter(stack, 'Rotate').valueAsString as unknown as boolean });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-1'] });
    expect(findings.map(f => `${f.constructPath} ${f.kind}`).sort()).toEqual(['Stack/FromParameter unresolvable', 'Stack/NoRotation/Resource non-compliant']);
    expect(verdictOn(findings, 'Stack/NoRotation/Resource', 'CEG-KMS-1')!.detail).toBe('The key sets no EnableKeyRotation, so its key material never rotates');
  });

  test('CEG-KMS-2 and -3: public statements and policies without an administrator, on keys and replica keys', () => {
    const stack = newStack(newApp());
    const everyone = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' };
    const admin = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' };
    new kms.CfnKey(stack, 'Public', { keyPolicy: { Statement: [admin, everyone] } });
    new kms.CfnKey(stack, 'Limited', { keyPolicy: { Statement: [admin, { ...everyone, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } }] } });
    new kms.CfnKey(stack, 'Orphaned', { keyPolicy: { Statement: [{ ...admin, Action: ['kms:Encrypt', 'kms:Decrypt'] }] } });
    new kms.CfnKey(stack, 'Default', {});
    new kms.CfnReplicaKey(stack, 'PublicReplica', { primaryKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1', keyPolicy: { Statement: [admin, everyone] } });
    const principal = new CfnParameter(stack, 'Who');
    new kms.CfnKey(stack, 'ParameterPrincipal', { keyPolicy: { Statement: [admin, { ...everyone, Principal: { AWS: principal.valueAsString } }] } });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-2', 'CEG-KMS-3'] });
    expect(findings.map(f => `${f.ruleId} ${f.constructPath} ${f.kind}`).sort()).toEqual([
      'CEG-KMS-2 Stack/ParameterPrincipal unresolvable',
      'CEG-KMS-2 Stack/Public non-compliant',
      'CEG-KMS-2 Stack/PublicReplica non-compliant',
      'CEG-KMS-3 Stack/Orphaned non-compliant',
      'CEG-KMS-3 Stack/ParameterPrincipal unresolvable',
    ]);
    expect(verdictOn(findings, 'Stack/Public', 'CEG-KMS-2')!.detail).toBe('The key policy\'s statement #1 allows every principal ("*") under conditions a caller of another account can meet');
  });

  test('CEG-KMS-4 warns about kms:CreateGrant not limited to AWS resources (a plain kms.Key), not about CmkWithPolicy', () => {
    const stack = newStack(newApp());
    new kms.Key(stack, 'Plain', { enableKeyRotation: true });
    new CmkWithPolicy(stack, 'Strict', { keyUsers: [role(stack, 'User')] });
    const findings = EncryptionGate.evaluate(stack, { services: [RuleService.KMS] });
    expect(findings.map(f => `${f.ruleId} ${f.constructPath} ${f.level}`)).toEqual(['CEG-KMS-4 Stack/Plain/Resource warning']);
  });

  test('an escape hatch that empties the key policy of a CmkWithPolicy is caught by the gate', () => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Key');
    (key.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement', [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }]);
    const findings = EncryptionGate.evaluate(stack, { services: [RuleService.KMS] });
    expect(findings.map(f => f.ruleId).sort()).toEqual(['CEG-KMS-2', 'CEG-KMS-4']);
  });
});
