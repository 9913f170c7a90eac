/**
 * EFS rules: encryption at rest (with the customer managed key option) and the TLS-only file
 * system policy, through the L2, escape hatches, conditions and policy logic.
 */
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptionGate, FindingKind } from '../../src';
import { isolatedVpc, newApp, newStack, verdictOn } from '../support/app';

const tlsDeny = (extra: object = {}, action: string | string[] = '*', operator = 'Bool') => ({
  Effect: 'Deny', Principal: { AWS: '*' }, Action: action, Condition: { [operator]: { 'aws:SecureTransport': 'false' }, ...extra },
});

describe('CEG-EFS-1 file system encryption', () => {
  test('the L2 with a key passes; L1s without Encrypted and with false do not; an escape hatch that deletes it is seen', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new efs.FileSystem(stack, 'WithKey', { vpc, encrypted: true, kmsKey: key });
    const hatched = new efs.FileSystem(stack, 'Hatched', { vpc, encrypted: true });
    (hatched.node.defaultChild as efs.CfnFileSystem).addPropertyDeletionOverride('Encrypted');
    new efs.CfnFileSystem(stack, 'Plain');
    new efs.CfnFileSystem(stack, 'Off', { encrypted: false });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/WithKey/Resource', 'CEG-EFS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Hatched/Resource', 'CEG-EFS-1')?.kind).toBe(FindingKind.NON_COMPLIANT);
    expect(verdictOn(findings, 'Stack/Plain', 'CEG-EFS-1')!.detail).toBe('The file system is not encrypted at rest: Encrypted is not set (CloudFormation\'s default is false)');
    expect(verdictOn(findings, 'Stack/Off', 'CEG-EFS-1')!.message).toMatch(/Encrypted is false.*Fix: .*replaces the file system/);
  });

  test('requireCustomerManagedKeys flags aws/elasticfilesystem (no KmsKeyId, or the alias named)', () => {
    const stack = newStack(newApp());
    new efs.CfnFileSystem(stack, 'NoKey', { encrypted: true });
    new efs.CfnFileSystem(stack, 'Named', { encrypted: true, kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/elasticfilesystem' });
    new efs.CfnFileSystem(stack, 'Cmk', { encrypted: true, kmsKeyId: new kms.CfnKey(stack, 'Key').attrArn });
    const findings = EncryptionGate.evaluate(stack, { requireCustomerManagedKeys: true });
    expect(verdictOn(findings, 'Stack/NoKey', 'CEG-EFS-1')!.detail).toMatch(/names no KMS key, so it is encrypted with the AWS managed key alias\/aws\/elasticfilesystem/);
    expect(verdictOn(findings, 'Stack/Named', 'CEG-EFS-1')!.location).toBe('Properties.KmsKeyId');
    expect(verdictOn(findings, 'Stack/Cmk', 'CEG-EFS-1')).toBeUndefined();
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/NoKey', 'CEG-EFS-1')).toBeUndefined();
  });
});

describe('CEG-EFS-2 TLS-only file system policy', () => {
  test('an L2 file system whose policy denies every action without TLS passes; the L2 default policy does not', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const tls = new efs.FileSystem(stack, 'Tls', { vpc, encrypted: true });
    tls.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['*'], conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    new efs.FileSystem(stack, 'Default', { vpc, encrypted: true });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Tls/Resource', 'CEG-EFS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Default/Resource', 'CEG-EFS-2')).toMatchObject({ kind: FindingKind.NON_COMPLIANT, level: 'warning' });
  });

  test.each([
    ['Deny * when aws:SecureTransport is false', tlsDeny(), true],
    ['Deny elasticfilesystem:ClientMount (no mount, no read or write)', tlsDeny({}, 'elasticfilesystem:ClientMount'), true],
    ['Deny elasticfilesystem:Client*', tlsDeny({}, 'elasticfilesystem:Client*'), true],
    ['BoolIfExists (stricter: also denies requests without the key)', tlsDeny({}, '*', 'BoolIfExists'), true],
    ['Deny only ClientWrite (clients still mount and read in clear)', tlsDeny({}, 'elasticfilesystem:ClientWrite'), false],
    ['Deny narrowed by an ANDed condition', tlsDeny({ StringEquals: { 'aws:SourceVpc': 'vpc-1' } }), false],
    ['Allow with the condition instead of Deny', { ...tlsDeny(), Effect: 'Allow' }, false],
    ['Deny for a named principal only', { ...tlsDeny(), Principal: { AWS: 'arn:aws:iam::111111111111:role/app' } }, false],
    ['Deny on another file system', { ...tlsDeny(), Resource: 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-other' }, false],
    ['Deny on every file system of the account', { ...tlsDeny(), Resource: 'arn:aws:elasticfilesystem:*:111111111111:file-system/*' }, true],
  ])('%s', (_name, statement, compliant) => {
    const stack = newStack(newApp());
    new efs.CfnFileSystem(stack, 'Fs', { encrypted: true, fileSystemPolicy: { Version: '2012-10-17', Statement: [statement] } });
    const finding = verdictOn(EncryptionGate.evaluate(stack), 'Stack/Fs', 'CEG-EFS-2');
    expect(finding === undefined).toBe(compliant);
    if (!compliant) {
      expect(finding!.detail).toMatch(/^No statement of FileSystemPolicy denies elasticfilesystem:ClientMount/);
    }
  });

  test('a conditional policy is judged in each branch; a policy from a parameter is unresolvable', () => {
    const stack = newStack(newApp());
    const strict = new CfnCondition(stack, 'Strict', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Mode').valueAsString, 'strict') });
    new efs.CfnFileSystem(stack, 'Conditional', {
      encrypted: true,
      fileSystemPolicy: Fn.conditionIf(strict.logicalId, { Statement: [tlsDeny()] }, Fn.ref('AWS::NoValue')),
    });
    new efs.CfnFileSystem(stack, 'FromParameter', { encrypted: true, fileSystemPolicy: new CfnParameter(stack, 'Policy').valueAsString as never });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Conditional', 'CEG-EFS-2')!.detail).toBe('When condition "Strict" is false: the file system has no FileSystemPolicy, so clients may mount it without TLS');
    expect(verdictOn(findings, 'Stack/FromParameter', 'CEG-EFS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE, location: 'Properties.FileSystemPolicy' });
  });
});

