import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CmkWithPolicy } from '../../src';
import { newApp } from '../support/app';
import { resolveWithNested } from './support/nested-resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, OTHER_ACCOUNT } from './support/simulator';

/**
 * Red team 40: crossAccountIds holding the key's own account are refused when the stack names its
 * account; where the account is known only at deploy time (an environment-agnostic stack, the
 * `cdk init` default, deployed to each account it shares the key with), the cross-account statements
 * leave the key's own account out, so that its roles get no use of the key through IAM.
 */
const REGION = 'eu-west-1';
const POWER_USER = `arn:aws:iam::${ACCOUNT}:role/PowerUser`;

test('known account: refused', () => {
  const stack = new Stack(newApp(), 'Shared', { env: { account: ACCOUNT, region: REGION } });
  expect(() => new CmkWithPolicy(stack, 'Key', { crossAccountIds: [ACCOUNT, OTHER_ACCOUNT] })).toThrow(/the key's own account/);
});

test.each([
  ['an environment-agnostic stack', (app: App): IConstruct => new Stack(app, 'Shared')],
  ['a Region-only stack', (app: App): IConstruct => new Stack(app, 'Shared', { env: { region: REGION } })],
  ['a nested stack of an agnostic stack', (app: App): IConstruct => new NestedStack(new Stack(app, 'Shared'), 'Keys')],
])('%s deployed to one of its crossAccountIds: that account\'s PowerUser (Allow *:*) gets no use, the other account keeps it', async (_label, make) => {
  for (const mfa of [false, true]) {
    const app = newApp();
    new CmkWithPolicy(make(app), 'Key', { crossAccountIds: [ACCOUNT, OTHER_ACCOUNT], requireMfaForDecrypt: mfa });
    const { resolved } = resolveWithNested(app, REGION); // deployed to ACCOUNT
    const key = resolved.resources('AWS::KMS::Key').find(k => k.logicalId.startsWith('Key'))!;
    const call = (principal: string, action: string, context: Record<string, string> = {}) =>
      ({ principal, action, resource: key.arn, identityPolicies: [ALLOW_ALL], context: { 'aws:MultiFactorAuthPresent': 'true', ...context } });
    const grantForResource = { 'kms:GrantIsForAWSResource': 'true' };
    expect(await new Authorizer(resolved).decideAll({
      ownDecrypt: call(POWER_USER, 'kms:Decrypt'),
      ownGenerate: call(POWER_USER, 'kms:GenerateDataKey'),
      ownGrant: call(POWER_USER, 'kms:CreateGrant', grantForResource),
      otherDecrypt: call(`arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, 'kms:Decrypt'),
      otherGrant: call(`arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, 'kms:CreateGrant', grantForResource),
    })).toEqual({ ownDecrypt: 'ImplicitlyDenied', ownGenerate: 'ImplicitlyDenied', ownGrant: 'ImplicitlyDenied', otherDecrypt: 'Allowed', otherGrant: 'Allowed' });
  }
});
