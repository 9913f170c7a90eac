/**
 * Red-team pass 47. CEG-KMS-2 credits Denies that together keep every kind of stranger out (the
 * data-perimeter layout: one for identities, one for services acting for others); a literal
 * `arn:aws:` Resource applies to a key only in the `aws` partition (CEG-KMS-2, CEG-KMS-3), and is
 * unresolvable where the stack's Region, hence its partition, is left to the deployment. A late
 * resource in a Stage keeps the flags of the Stage's own Aspect. Oracle: @cloud-copilot/iam-simulate.
 */
import { App, Aspects, Mixin, Shims, Stack, Stage } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { EncryptionGate, EnforceEncryption, FindingKind } from '../../src';
import { newApp, newStack } from '../support/app';
import { decryptDecision, OWN } from '../support/key-policy-oracle';

const ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*' };
const ALLOW_ALL = { Sid: 'UseInAccount', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };

function kms2(statements: object[], region = 'eu-west-1') {
  const stack = newStack(newApp(), 'Stack', region);
  new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: [ADMIN, ...statements] } });
  return EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-2'] }).filter(f => f.constructPath === 'Stack/Key').map(f => f.ruleId);
}

const role = (account: string) => [`arn:aws:iam::${account}:role/x`, {
  'aws:PrincipalAccount': account, 'kms:CallerAccount': account, 'aws:PrincipalArn': `arn:aws:iam::${account}:role/x`, 'aws:PrincipalIsAWSService': 'false',
}] as const;
const service = (source?: string) => ['logs.eu-west-1.amazonaws.com', {
  'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': 'logs.eu-west-1.amazonaws.com', ...(source ? { 'aws:SourceAccount': source } : {}),
}] as const;

describe('CEG-KMS-2: two Denies that together keep every stranger out (data-perimeter style)', () => {
  // Identity perimeter: every non-service principal outside the account.
  const identities = {
    Sid: 'DenyOtherAccounts',
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:*',
    Resource: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': OWN }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  };
  // Confused-deputy perimeter: every service acting for a resource outside the account (or for none).
  const services = {
    Sid: 'DenyServicesForOthers',
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:*',
    Resource: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:SourceAccount': OWN }, Bool: { 'aws:PrincipalIsAWSService': 'true' } },
  };
  const KEY = `arn:aws:kms:eu-west-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  test('oracle: every stranger is explicitly denied, the own account is allowed', async () => {
    const policy = [ADMIN, ALLOW_ALL, identities, services];
    expect(await decryptDecision(policy, KEY, ...role('999999999999'), true)).toBe('ExplicitlyDenied');
    expect(await decryptDecision(policy, KEY, ...service('999999999999'), false)).toBe('ExplicitlyDenied');
    expect(await decryptDecision(policy, KEY, ...service(), false)).toBe('ExplicitlyDenied');
    expect(await decryptDecision(policy, KEY, ...role(OWN), true)).toBe('Allowed');
  });

  test('control: one Deny alone leaves one kind of stranger in (flagged, rightly)', () => {
    expect(kms2([ALLOW_ALL, identities])).toEqual(['CEG-KMS-2']);
    expect(kms2([ALLOW_ALL, services])).toEqual(['CEG-KMS-2']);
  });

  test('both Denies together: no finding', () => {
    expect(kms2([ALLOW_ALL, identities, services])).toEqual([]);
  });
});

describe('CEG-KMS-2: a Deny whose Resource names the aws partition does not apply to a key in aws-cn', () => {
  const guard = {
    Sid: 'OnlyOwnAccount',
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:*',
    Resource: 'arn:aws:kms:*:*:key/*',
    Condition: { StringNotEquals: { 'aws:PrincipalAccount': OWN } },
  };
  const CN_KEY = `arn:aws-cn:kms:cn-north-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  test('oracle: in aws-cn the Deny does not match the key, a stranger is allowed', async () => {
    const [p, ctx] = role('999999999999');
    expect(await decryptDecision([ADMIN, ALLOW_ALL, guard], CN_KEY, p.replace('arn:aws:', 'arn:aws-cn:'),
      { ...ctx, 'aws:PrincipalArn': p.replace('arn:aws:', 'arn:aws-cn:') }, true)).toBe('Allowed');
  });

  test('control: in eu-west-1 the guarded Allow passes', () => {
    expect(kms2([ALLOW_ALL, guard])).toEqual([]);
  });

  test('in a stack of cn-north-1 the Allow is public', () => {
    expect(kms2([ALLOW_ALL, guard], 'cn-north-1')).toEqual(['CEG-KMS-2']);
  });
});

describe('CEG-KMS-3: an administrator statement on `arn:aws:kms:*` administers a key of the aws partition only', () => {
  const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: 'arn:aws:kms:*:*:key/*' };
  const kms3 = (stack: Stack) => {
    new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: [admin] } });
    return EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-3'] }).map(f => f.kind);
  };
  test.each([
    ['eu-west-1 (aws)', () => newStack(newApp()), []],
    ['cn-north-1 (aws-cn): nobody administers the key', () => newStack(newApp(), 'Stack', 'cn-north-1'), [FindingKind.NON_COMPLIANT]],
    ['a Region left to the deployment', () => new Stack(newApp(), 'Stack'), [FindingKind.UNRESOLVABLE]],
  ])('in %s', (_name, stack, kinds) => {
    expect(kms3(stack())).toEqual(kinds);
  });
});

const SSE = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };

/** Adds an SSE-S3 bucket next to 'Data' (after the Aspects walked the stack, with stabilization off). */
class AddSseS3Bucket extends Mixin {
  supports(c: IConstruct) { return s3.CfnBucket.isCfnBucket(c) && c.node.id === 'Data'; }
  applyTo(c: IConstruct) {
    const stack = Stack.of(c);
    if (!stack.node.tryFindChild('Late')) new s3.CfnBucket(stack, 'Late', { bucketEncryption: SSE });
  }
}

function synthError(app: App): string {
  try {
    app.synth({ force: true });
    return 'synthesized';
  } catch (e) {
    return (e as Error).message;
  }
}

function build(late: boolean): App {
  const app = new App({ builtinCloudFormationValidation: false });
  app.node.setContext('@aws-cdk/core:aspectStabilization', false);
  const stage = new Stage(app, 'Prod');
  stage.node.setContext('@aws-cdk/core:aspectStabilization', false);
  const stack = newStack(stage);
  // 'Data' is KMS-encrypted: compliant under requireKmsForS3.
  new s3.CfnBucket(stack, 'Data', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] } });
  if (late) {
    Aspects.of(stage).add(Shims.asAspect(new AddSseS3Bucket()));
  } else {
    new s3.CfnBucket(stack, 'Late', { bucketEncryption: SSE });
  }
  // The App's Aspect selects CEG-S3-1 and judges the Stage from outside; the Stage's own Aspect
  // (an ancestor of every bucket) sets requireKmsForS3 but selects no S3 rule.
  Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
  Aspects.of(stage).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], requireKmsForS3: true }));
  return app;
}

describe('a late resource in a Stage: flags of the Stage\'s flag-only Aspect', () => {
  test('control: the SSE-S3 bucket present from the start fails CEG-S3-1 (requireKmsForS3 holds)', () => {
    expect(synthError(build(false))).toMatch(/Prod\/Stack\/Late: CEG-S3-1/);
  });

  test('the same SSE-S3 bucket added late (a deferred mixin) fails CEG-S3-1 too', () => {
    expect(synthError(build(true))).toMatch(/Prod\/Stack\/Late: CEG-S3-1/);
  });
});
