import { Stack } from 'aws-cdk-lib';
import { EbsEncryptionByDefault } from '../../src';
import { newApp } from '../support/app';
import { autoScalingRole, EC2_USE, notAllowed, SLR_USE } from './support/calls';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployerDeniedOnKey, grantForResource, OTHER_ACCOUNT, roleOf, viaService } from './support/simulator';

/**
 * Authorization contracts of `EbsEncryptionByDefault`: the deploying role manages the default key;
 * the handler role makes exactly the EC2 calls of its code; whoever creates a volume (the account's
 * principals, as their IAM policies allow) uses the key through EC2 only; the Auto Scaling
 * service-linked role, which has no KMS permission of its own, is named in the key policy as the EC2
 * Auto Scaling User Guide requires ("Required AWS KMS key policy for use with encrypted volumes": use
 * of the key, and CreateGrant for AWS resources); everyone else is denied.
 */

const REGION = 'eu-west-1';
const BARE_REGION = 'us-east-1';
const slr = autoScalingRole;

let resolved: ResolvedApp;
let authorizer: Authorizer;
let key: string;
let bareKey: string;

beforeAll(() => {
  const app = newApp();
  new EbsEncryptionByDefault(new Stack(app, 'Ebs', { env: { account: ACCOUNT, region: REGION } }), 'EbsDefault');
  new EbsEncryptionByDefault(new Stack(app, 'Bare', { env: { account: ACCOUNT, region: BARE_REGION } }), 'EbsDefault', {
    allowAutoScaling: false, disableOnDelete: true,
  });
  resolved = ResolvedApp.of(app);
  authorizer = new Authorizer(resolved);
  key = resolved.resource('AWS::KMS::Key', 'EbsDefaultKey', 'Ebs').arn;
  bareKey = resolved.resource('AWS::KMS::Key', 'EbsDefaultKey', 'Bare').arn;
});

const allowedAll = notAllowed;

describe('deploy: the CloudFormation execution role', () => {
  test.each(['Ebs', 'Bare'])('may create, update and delete the default key of stack %s (lockout check passed)', async stack => {
    expect(await deployerDeniedOnKey(authorizer, stack === 'Ebs' ? REGION : BARE_REGION, stack === 'Ebs' ? key : bareKey)).toEqual([]);
  });
});

describe('the custom resource\'s handler role', () => {
  test('may set the default key and turn encryption by default on (these EC2 actions take only "*"), and describe the key', async () => {
    const principal = roleOf(resolved, 'CegEbsEncryptionByDefaultProviderHandlerRole', 'Ebs');
    expect(await authorizer.decideAll({
      modify: { principal, action: 'ec2:ModifyEbsDefaultKmsKeyId', resource: '*' },
      enable: { principal, action: 'ec2:EnableEbsEncryptionByDefault', resource: '*' },
      describe: { principal, action: 'kms:DescribeKey', resource: key },
      // Without disableOnDelete its code never turns the setting off: neither may it.
      disable: { principal, action: 'ec2:DisableEbsEncryptionByDefault', resource: '*' },
      reset: { principal, action: 'ec2:ResetEbsDefaultKmsKeyId', resource: '*' },
      decrypt: { principal, action: 'kms:Decrypt', resource: key },
    })).toEqual({ modify: 'Allowed', enable: 'Allowed', describe: 'Allowed', disable: 'ImplicitlyDenied', reset: 'ImplicitlyDenied', decrypt: 'ImplicitlyDenied' });
  });

  test('with disableOnDelete, may also turn it off and reset the default key', async () => {
    const principal = roleOf(resolved, 'CegEbsEncryptionByDefaultProviderHandlerRole', 'Bare');
    expect(allowedAll(await authorizer.decideAll({
      modify: { principal, action: 'ec2:ModifyEbsDefaultKmsKeyId', resource: '*' },
      enable: { principal, action: 'ec2:EnableEbsEncryptionByDefault', resource: '*' },
      disable: { principal, action: 'ec2:DisableEbsEncryptionByDefault', resource: '*' },
      reset: { principal, action: 'ec2:ResetEbsDefaultKmsKeyId', resource: '*' },
      describe: { principal, action: 'kms:DescribeKey', resource: bareKey },
    }))).toEqual([]);
  });
});

describe('services: EC2 and the Auto Scaling service-linked role', () => {
  test('a role of the account whose IAM policy allows it uses the key through EC2, and creates grants for AWS resources', async () => {
    const principal = `arn:aws:iam::${ACCOUNT}:role/Builder`;
    const calls = Object.fromEntries(EC2_USE.map(action => [action, { principal, action, resource: key, identityPolicies: [ALLOW_ALL], context: viaService('ec2', REGION) }]));
    expect(allowedAll(await authorizer.decideAll({
      ...calls,
      createGrant: { principal, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource('ec2', REGION) },
    }))).toEqual([]);
  });

  test('not directly, not through another service, not a grant for itself, not without its own IAM permission', async () => {
    const principal = `arn:aws:iam::${ACCOUNT}:role/Builder`;
    expect(await authorizer.decideAll({
      direct: { principal, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
      viaS3: { principal, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('s3', REGION) },
      grantForItself: {
        principal, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('ec2', REGION, { 'kms:GrantIsForAWSResource': 'false' }),
      },
      noIamPermission: { principal, action: 'kms:Decrypt', resource: key, identityPolicies: [], context: viaService('ec2', REGION) },
    })).toEqual({ direct: 'ImplicitlyDenied', viaS3: 'ImplicitlyDenied', grantForItself: 'ExplicitlyDenied', noIamPermission: 'ImplicitlyDenied' });
  });

  test('the Auto Scaling service-linked role (no KMS permission of its own) may use the key and create grants for AWS resources', async () => {
    const principal = slr(ACCOUNT);
    const calls = Object.fromEntries(SLR_USE.map(action => [action, { principal, action, resource: key, identityPolicies: [] }]));
    expect(allowedAll(await authorizer.decideAll({
      ...calls,
      createGrant: { principal, action: 'kms:CreateGrant', resource: key, identityPolicies: [], context: { 'kms:GrantIsForAWSResource': 'true' } },
    }))).toEqual([]);
    expect(await authorizer.decideAll({
      grantNotForResource: { principal, action: 'kms:CreateGrant', resource: key, identityPolicies: [] },
      manage: { principal, action: 'kms:PutKeyPolicy', resource: key, identityPolicies: [] },
    })).toEqual({ grantNotForResource: 'ExplicitlyDenied', manage: 'ImplicitlyDenied' });
  });

  test('with allowAutoScaling: false the service-linked role is not named', async () => {
    expect(await authorizer.decide({ principal: slr(ACCOUNT), action: 'kms:Decrypt', resource: bareKey, identityPolicies: [] })).toBe('ImplicitlyDenied');
  });
});

describe('strangers', () => {
  test('another account (even through EC2, even its Auto Scaling role) and an anonymous caller are denied', async () => {
    const stranger = `arn:aws:iam::${OTHER_ACCOUNT}:role/Builder`;
    expect(await authorizer.decideAll({
      otherAccountViaEc2: { principal: stranger, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('ec2', REGION) },
      otherAccountGrant: { principal: stranger, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource('ec2', REGION) },
      otherAccountSlr: { principal: slr(OTHER_ACCOUNT), action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
      anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: key, context: viaService('ec2', REGION) },
      powerUserDirect: { principal: `arn:aws:iam::${ACCOUNT}:role/PowerUser`, action: 'kms:GenerateDataKey', resource: key, identityPolicies: [ALLOW_ALL] },
    })).toEqual({
      otherAccountViaEc2: 'ImplicitlyDenied',
      otherAccountGrant: 'ImplicitlyDenied',
      otherAccountSlr: 'ImplicitlyDenied',
      anonymous: 'ImplicitlyDenied',
      powerUserDirect: 'ImplicitlyDenied',
    });
  });
});
