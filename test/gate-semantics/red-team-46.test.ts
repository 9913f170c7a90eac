/**
 * Red-team pass 46: flags of Aspects across a Stage boundary; CEG-KMS-2 against AWS's semantics
 * (a service acting for any account meets `aws:PrincipalIsAWSService`; a Deny for everyone outside
 * the account keeps strangers out), with the policy simulator as the oracle.
 */
import { App, Aspects, Stage } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionGate, EnforceEncryption } from '../../src';
import { newApp, newStack } from '../support/app';
import { decryptDecision, OWN } from '../support/key-policy-oracle';

const SSE_S3: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, minimumTLSVersion: 1.2, blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
};

function synthOutcome(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return 'synthesized';
}

describe('flags across a Stage boundary', () => {
  test('control: same Aspects on App and Stack (no Stage) fail the SSE-S3 bucket', () => {
    const app = newApp();
    const stack = newStack(app);
    new s3.Bucket(stack, 'Sse', SSE_S3);
    Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    Aspects.of(stack).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], requireKmsForS3: true }));
    expect(synthOutcome(app)).toMatch(/CEG-S3-1/);
  });

  test('a flag-only Aspect on the Stage tightens the App Aspect that judges the unreached Stage', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    new s3.Bucket(newStack(stage), 'Sse', SSE_S3);
    // The App's Aspect selects CEG-S3-1 and judges the Stage it cannot reach; the Stage's own Aspect
    // (an ancestor of the bucket) sets requireKmsForS3 but selects no S3 rule.
    Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    Aspects.of(stage).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], requireKmsForS3: true }));
    expect(synthOutcome(app)).toMatch(/CEG-S3-1/);
  });

  test('a flag-only Aspect on the App tightens the Stage Aspect that selects CEG-S3-1 (the App judges the Stage too)', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    new s3.Bucket(newStack(stage), 'Sse', SSE_S3);
    Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], requireKmsForS3: true }));
    Aspects.of(stage).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    expect(synthOutcome(app)).toMatch(/CEG-S3-1/);
  });
});

const KEY_ARN = `arn:aws:kms:eu-west-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*' };

function kms2(statements: object[]) {
  const stack = newStack(newApp());
  new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: [ADMIN, ...statements] } });
  return EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-2'] }).filter(f => f.constructPath === 'Stack/Key');
}

describe('CEG-KMS-2 by AWS\'s semantics', () => {
  test('Principal "*" limited only by aws:PrincipalIsAWSService=true admits any account\'s service use (confused deputy)', async () => {
    const open = {
      Sid: 'AnyService',
      Effect: 'Allow',
      Principal: '*',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
    };
    // Oracle: CloudWatch Logs acting for a log group of account 999999999999 is allowed by this policy.
    expect(await decryptDecision([ADMIN, open], KEY_ARN, 'logs.eu-west-1.amazonaws.com', {
      'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': 'logs.eu-west-1.amazonaws.com', 'aws:SourceAccount': '999999999999',
    }, false)).toBe('Allowed');
    // Public, as kms:ViaService alone is.
    expect(kms2([open])).toEqual([expect.objectContaining({ ruleId: 'CEG-KMS-2' })]);
  });

  test('an Allow for "*" that a Deny limits to the own account admits no stranger', async () => {
    const allowAll = { Sid: 'UseInOrg', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    const guard = {
      Sid: 'OnlyOwnAccount',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': OWN } },
    };
    expect(await decryptDecision([ADMIN, allowAll, guard], KEY_ARN, 'arn:aws:iam::999999999999:role/x',
      { 'aws:PrincipalAccount': '999999999999', 'kms:CallerAccount': '999999999999', 'aws:PrincipalArn': 'arn:aws:iam::999999999999:role/x' }, true))
      .toBe('ExplicitlyDenied');
    expect(kms2([allowAll, guard])).toEqual([]);
  });
});

describe('CEG-KMS-2: Denies that do not keep every stranger out leave the Allow public', () => {
  const allowAll = { Sid: 'UseInOrg', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' };
  const outsideOwn = { StringNotEquals: { 'aws:PrincipalAccount': OWN } };
  test.each([
    ['covers only one of the Allow\'s actions', { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: outsideOwn }],
    ['denies one other account only', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '999999999999' } } }],
    ['exempts everyone but one principal (NotPrincipal)', { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    ['lets services through (aws:PrincipalAccount IfExists)', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': OWN }, Null: { 'aws:PrincipalAccount': 'false' } } }],
    ['applies to another key only', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: `arn:aws:kms:eu-west-1:${OWN}:key/other`, Condition: outsideOwn }],
  ])('a Deny that %s', (_name, deny) => {
    expect(kms2([allowAll, deny]).map(f => f.ruleId)).toEqual(['CEG-KMS-2']);
  });

  test('a Deny for everyone outside the organization keeps both kinds of stranger out (a service\'s request carries no organization)', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-ours00000' } } };
    expect(kms2([allowAll, deny])).toEqual([]);
  });
});
