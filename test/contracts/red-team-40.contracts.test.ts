import { App, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { CmkWithPolicy, MultiRegionKey } from '../../src';
import { newApp } from '../support/app';
import { resolveWithNested } from './support/nested-resolver';
import { ResolvedApp } from './support/resolver';
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

/**
 * Red team 40: a replica of a key whose administrators leave out the account is deployed by the role
 * of its own stack: a CDK bootstrap's execution role is per Region, so the primary's
 * `deployingRoleArn` is not it; that role needs kms:ReplicateKey and DescribeKey on the primary, and
 * to stay administrator of the replica (KMS's lockout check).
 */
describe('the role that deploys a replica', () => {
  const PRIMARY = REGION;
  const DR = 'us-east-1';
  const exec = (region: string) => `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${region}`;
  const CI = `arn:aws:iam::${ACCOUNT}:role/ci-deployer`;
  const admin = (s: Construct, id: string) => new iam.Role(s, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

  async function deployment(primary: { cli?: boolean; deployingRoleArn?: string }, dr: { cli?: boolean; deployingRoleArn?: string }) {
    const app = newApp();
    const synthesizer = (cli?: boolean) => cli ? new CliCredentialsStackSynthesizer() : new DefaultStackSynthesizer();
    const primaryStack = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: PRIMARY }, synthesizer: synthesizer(primary.cli) });
    const drStack = new Stack(app, 'Dr', { env: { account: ACCOUNT, region: DR }, crossRegionReferences: true, synthesizer: synthesizer(dr.cli) });
    new MultiRegionKey(primaryStack, 'Key', { administrators: [admin(primaryStack, 'Admin')], deployingRoleArn: primary.deployingRoleArn })
      .addReplica(drStack, { deployingRoleArn: dr.deployingRoleArn });
    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    const primaryArn = resolved.resource('AWS::KMS::Key', 'Key', 'Primary').arn;
    const replicaArn = resolved.resource('AWS::KMS::ReplicaKey', 'ReplicaOf', 'Dr').arn;
    const call = (principal: string, action: string, resource: string, context: Record<string, string> = {}) =>
      ({ principal, action, resource, identityPolicies: [ALLOW_ALL], context });
    return async (primaryDeployer: string, replicaDeployer: string) => authorizer.decideAll({
      primaryPolicy: call(primaryDeployer, 'kms:PutKeyPolicy', primaryArn),
      replicate: call(replicaDeployer, 'kms:ReplicateKey', primaryArn, { 'kms:ReplicaRegion': DR }),
      describe: call(replicaDeployer, 'kms:DescribeKey', primaryArn),
      replicaPolicy: call(replicaDeployer, 'kms:PutKeyPolicy', replicaArn),
    });
  }
  const ALL_ALLOWED = { primaryPolicy: 'Allowed', replicate: 'Allowed', describe: 'Allowed', replicaPolicy: 'Allowed' };

  test('deployingRoleArn naming the primary stack\'s execution role: the DR Region\'s execution role deploys the replica', async () => {
    const decide = await deployment({ deployingRoleArn: exec(PRIMARY) }, {});
    expect(await decide(exec(PRIMARY), exec(DR))).toEqual(ALL_ALLOWED);
  });

  test('the primary deployed with CLI credentials (deployingRoleArn the CI role), the replica by its stack\'s execution role', async () => {
    const decide = await deployment({ cli: true, deployingRoleArn: CI }, {});
    expect(await decide(CI, exec(DR))).toEqual(ALL_ALLOWED);
  });

  test('both with CLI credentials: the primary\'s deployingRoleArn deploys both', async () => {
    const decide = await deployment({ cli: true, deployingRoleArn: CI }, { cli: true });
    expect(await decide(CI, CI)).toEqual(ALL_ALLOWED);
  });

  test('the replica deployed with CLI credentials: refused without a role, and its own deployingRoleArn leaves the primary\'s role as it was', async () => {
    await expect(deployment({}, { cli: true })).rejects.toThrow(/the stack's CliCredentialsStackSynthesizer names no deploying role/);
    const decide = await deployment({}, { cli: true, deployingRoleArn: CI });
    expect(await decide(exec(PRIMARY), CI)).toEqual(ALL_ALLOWED);
    // A stranger of the account is not let in by any of it.
    expect(await decide(`arn:aws:iam::${ACCOUNT}:role/PowerUser`, `arn:aws:iam::${ACCOUNT}:role/PowerUser`))
      .toEqual({ primaryPolicy: 'ImplicitlyDenied', replicate: 'ImplicitlyDenied', describe: 'ImplicitlyDenied', replicaPolicy: 'ImplicitlyDenied' });
  });
});
