/**
 * What a request never carries is absent, not free: keys of another service than the request's
 * (`kms:CallerAccount` on an S3 request), `s3:TlsVersion` on a request without TLS; what an Allow
 * with `NotPrincipal` grants to the key's own account; and what an EFS file system ID always is.
 * Each case was a wrong finding of the differential test against `@cloud-copilot/iam-simulate`,
 * whose verdict (and AWS's) is the expectation here; the neighbours that must keep failing are
 * checked with them, so that no case turns into a wrong pass.
 */
import { Stack } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptionGate, Finding } from '../../src';
import { newApp, newStack } from '../support/app';

const OWN = '111111111111';

/** `ruleId path kind` of every finding. */
function lines(findings: Finding[]): string[] {
  return findings.map(f => `${f.ruleId} ${f.constructPath} ${f.kind}`).sort();
}

function bucket(scope: Construct, id: string, ...statements: object[]): void {
  const b = new s3.CfnBucket(scope, id, { bucketName: `data-${id.toLowerCase()}` });
  new s3.CfnBucketPolicy(scope, `${id}Policy`, { bucket: b.ref, policyDocument: { Version: '2012-10-17', Statement: statements } });
}

/** A Deny of every S3 action on the bucket and its objects under a condition block. */
function denyAll(id: string, condition: object): object {
  return { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::data-${id.toLowerCase()}`, `arn:aws:s3:::data-${id.toLowerCase()}/*`], Condition: condition };
}

function key(scope: Construct, id: string, ...statements: object[]): void {
  new kms.CfnKey(scope, id, { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: statements } });
}

const ROOT_ADMIN = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*' };

describe('keys of another service are absent from a request', () => {
  test('CEG-S3-2: a TLS Deny narrowed by a negated operator on a KMS key holds for every S3 request; on a global key it does not', () => {
    const stack = newStack(newApp());
    const tls = { Bool: { 'aws:SecureTransport': 'false' } };
    bucket(stack, 'KmsKey', denyAll('KmsKey', { ...tls, StringNotEquals: { 'kms:CallerAccount': OWN } }));
    bucket(stack, 'KmsKeyPositive', denyAll('KmsKeyPositive', { ...tls, StringEquals: { 'kms:CallerAccount': OWN } }));
    bucket(stack, 'GlobalKey', denyAll('GlobalKey', { ...tls, StringNotEquals: { 'aws:PrincipalAccount': OWN } }));
    // Lambda puts lambda:SourceFunctionArn on every request its function's credentials sign: a cross-service key stays free.
    bucket(stack, 'CrossServiceKey', denyAll('CrossServiceKey', { ...tls, StringNotEqualsIfExists: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:eu-west-1:111111111111:function:f' } }));
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-S3-2'] }))).toEqual([
      'CEG-S3-2 Stack/CrossServiceKey non-compliant',
      'CEG-S3-2 Stack/GlobalKey non-compliant',
      'CEG-S3-2 Stack/KmsKeyPositive non-compliant',
    ]);
  });

  test('CEG-KMS-2: an S3 key on a key policy statement is never met, so it keeps strangers out; a negated one lets them in', () => {
    const stack = newStack(newApp());
    const open = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' };
    key(stack, 'S3KeyEquals', ROOT_ADMIN, { ...open, Condition: { StringEquals: { 's3:prefix': 'home/' } } });
    key(stack, 'S3KeyNotEquals', ROOT_ADMIN, { ...open, Condition: { StringNotEquals: { 's3:prefix': 'home/' } } });
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-2'] }))).toEqual(['CEG-KMS-2 Stack/S3KeyNotEquals non-compliant']);
  });
});

describe('s3:TlsVersion is absent from a request without TLS', () => {
  test('CEG-S3-2: NumericLessThanIfExists and NumericNotEquals on it deny every request without TLS; NumericLessThan does not', () => {
    const stack = newStack(newApp());
    bucket(stack, 'IfExists', denyAll('IfExists', { NumericLessThanIfExists: { 's3:TlsVersion': '1.2' } }));
    bucket(stack, 'NotEquals', denyAll('NotEquals', { NumericNotEquals: { 's3:TlsVersion': ['1.2', '1.3'] } }));
    bucket(stack, 'LessThan', denyAll('LessThan', { NumericLessThan: { 's3:TlsVersion': '1.2' } }));
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-S3-2', 'CEG-S3-3'] }))).toEqual([
      'CEG-S3-2 Stack/LessThan non-compliant',
    ]);
  });
});

describe('an Allow with NotPrincipal keeps an administrator (CEG-KMS-3)', () => {
  const allowAllBut = (notPrincipal: object) => ({ Effect: 'Allow', NotPrincipal: notPrincipal, Action: 'kms:*', Resource: '*' });

  test('it grants to the key\'s own account unless it leaves that account out', () => {
    const stack = newStack(newApp());
    key(stack, 'OtherAccountLeftOut', allowAllBut({ AWS: '222222222222' }));
    key(stack, 'OwnAccountLeftOut', allowAllBut({ AWS: OWN }));
    key(stack, 'OwnRootLeftOut', allowAllBut({ AWS: `arn:aws:iam::${OWN}:root` }));
    key(stack, 'RoleLeftOut', allowAllBut({ AWS: `arn:aws:iam::${OWN}:role/admin` }));
    // Only the role that the NotPrincipal leaves out meets the condition.
    key(stack, 'OnlyTheOneLeftOut', { ...allowAllBut({ AWS: `arn:aws:iam::${OWN}:role/admin` }), Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/admin` } } });
    key(stack, 'DeniedToAll', allowAllBut({ AWS: '222222222222' }), { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' });
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-3'] }))).toEqual([
      'CEG-KMS-3 Stack/DeniedToAll non-compliant',
      'CEG-KMS-3 Stack/OnlyTheOneLeftOut non-compliant',
      'CEG-KMS-3 Stack/OwnAccountLeftOut non-compliant',
      'CEG-KMS-3 Stack/OwnRootLeftOut non-compliant',
    ]);
  });

  test('in a stack without an account, a literal account left out may be the key\'s own: unresolvable', () => {
    const stack = new Stack(newApp(), 'Agnostic');
    key(stack, 'Key', allowAllBut({ AWS: '222222222222' }));
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-3'] }))).toEqual(['CEG-KMS-3 Agnostic/Key unresolvable']);
  });

  test('a Deny naming the only principal the Allow\'s condition admits (by ARN or user name) leaves no administrator', () => {
    const stack = newStack(newApp());
    const deny = (principal: string) => ({ Effect: 'Deny', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' });
    key(stack, 'ByArn', { ...ROOT_ADMIN, Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/admin` } } }, deny(`arn:aws:iam::${OWN}:role/admin`));
    key(stack, 'ByUserName', { ...ROOT_ADMIN, Condition: { StringEquals: { 'aws:username': 'bob' } } }, deny(`arn:aws:iam::${OWN}:user/bob`));
    key(stack, 'OtherRoleDenied', { ...ROOT_ADMIN, Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/*` } } }, deny(`arn:aws:iam::${OWN}:role/admin`));
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-3'] }))).toEqual([
      'CEG-KMS-3 Stack/ByArn non-compliant',
      'CEG-KMS-3 Stack/ByUserName non-compliant',
    ]);
  });
});

describe('EFS file system IDs always start with fs- (CEG-EFS-2)', () => {
  test('file-system/fs-?* covers every file system; fs-0* does not', () => {
    const stack = newStack(newApp());
    const deny = (resource: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount', Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    });
    new efs.CfnFileSystem(stack, 'AnyId', { encrypted: true, fileSystemPolicy: deny(`arn:aws:elasticfilesystem:eu-west-1:${OWN}:file-system/fs-?*`) });
    new efs.CfnFileSystem(stack, 'SomeIds', { encrypted: true, fileSystemPolicy: deny(`arn:aws:elasticfilesystem:eu-west-1:${OWN}:file-system/fs-0*`) });
    expect(lines(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EFS-2'] }))).toEqual(['CEG-EFS-2 Stack/SomeIds non-compliant']);
  });
});
