import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptionGate, CmkWithPolicy, EnvelopeEncryption } from '../../src';
import { newApp } from '../support/app';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployRole, OTHER_ACCOUNT } from './support/simulator';

/**
 * Authorization contracts of the KMS constructs: what the deploying role, the grantees and everyone
 * else may do with the keys, decided by an IAM policy simulator on the resolved templates.
 */

const REGION = 'eu-west-1';
const DEPLOYER = deployRole(REGION);

/** Calls CloudFormation makes to create, update and delete a key and its alias. */
const KEY_LIFECYCLE = [
  'kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey', 'kms:EnableKeyRotation', 'kms:GetKeyRotationStatus',
  'kms:TagResource', 'kms:UntagResource', 'kms:ListResourceTags', 'kms:UpdateKeyDescription', 'kms:EnableKey',
  'kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
];

const role = (scope: Stack, id: string) => new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

function build() {
  const app = newApp();
  const env = { account: ACCOUNT, region: REGION };
  const data = new Stack(app, 'Data', { env });
  const apps = new Stack(app, 'Apps', { env });
  const ordered = new Stack(app, 'Ordered', { env });
  ordered.node.addDependency(data);

  const defaults = new CmkWithPolicy(data, 'Defaults');
  const named = new CmkWithPolicy(data, 'NamedAdmins', { administrators: [role(data, 'KeyAdmin')] });
  const shared = new CmkWithPolicy(data, 'Shared', { alias: 'shared' });
  const alias = shared.node.findChild('Alias') as kms.Alias;

  const sameStackReader = role(data, 'SameStackReader');
  shared.grantDecrypt(sameStackReader);
  const crossStackReader = role(apps, 'CrossStackReader');
  shared.grantDecrypt(crossStackReader);
  const orderedReader = role(ordered, 'OrderedReader');
  shared.grantDecrypt(orderedReader);
  const aliasWriter = role(apps, 'AliasWriter');
  EnvelopeEncryption.grantWriter(alias, aliasWriter, { encryptionContext: { tenant: 'acme' } });
  const importedReader = role(apps, 'ImportedReader');
  EnvelopeEncryption.grantReader(kms.Key.fromKeyArn(apps, 'SharedByArn', shared.keyArn), importedReader);
  role(apps, 'Ungranted');
  return { app, data, apps, defaults, named, shared };
}

let authorizer: Authorizer;
let resolved: ResolvedApp;
let keys: { defaults: string; named: string; shared: string };
const roleArn = (stack: string, prefix: string) => resolved.resource('AWS::IAM::Role', prefix, stack).arn;

beforeAll(() => {
  const built = build();
  resolved = ResolvedApp.of(built.app);
  authorizer = new Authorizer(resolved);
  const keyArn = (prefix: string) => resolved.resource('AWS::KMS::Key', prefix, 'Data').arn;
  keys = { defaults: keyArn('Defaults'), named: keyArn('NamedAdmins'), shared: keyArn('Shared') };
});

describe('deploy: the CloudFormation execution role (Allow *:*, named in no key policy)', () => {
  test.each(['defaults', 'named', 'shared'] as const)('may create, update and delete the %s key, and passes the PutKeyPolicy lockout check', async which => {
    const decisions = await authorizer.decideAll(Object.fromEntries(KEY_LIFECYCLE.map(action => [action, {
      principal: DEPLOYER, action, resource: keys[which], identityPolicies: [ALLOW_ALL],
    }])));
    expect(decisions).toEqual(Object.fromEntries(KEY_LIFECYCLE.map(a => [a, 'Allowed'])));
  });

  test('with named administrators, another role of the account with Allow *:* cannot manage the key', async () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/PowerUser`;
    expect(await authorizer.decide({ principal: other, action: 'kms:PutKeyPolicy', resource: keys.named, identityPolicies: [ALLOW_ALL] })).toBe('ImplicitlyDenied');
    expect(await authorizer.decide({ principal: roleArn('Data', 'KeyAdmin'), action: 'kms:PutKeyPolicy', resource: keys.named, identityPolicies: [] })).toBe('Allowed');
  });

  test('nobody may use a key at its defaults: not the account\'s admins, not the deploying role', async () => {
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom']) {
      expect(await authorizer.decide({ principal: DEPLOYER, action, resource: keys.defaults, identityPolicies: [ALLOW_ALL] })).toBe('ImplicitlyDenied');
    }
  });
});

describe('grants: each grantee gets its calls, and nothing more', () => {
  test.each([
    ['same stack', 'Data', 'SameStackReader'],
    ['another stack', 'Apps', 'CrossStackReader'],
    ['another stack that depends on the key\'s', 'Ordered', 'OrderedReader'],
  ])('grantDecrypt to a role of %s: Decrypt allowed, the rest denied', async (_label, stack, id) => {
    const principal = roleArn(stack, id);
    const decisions = await authorizer.decideAll({
      decrypt: { principal, action: 'kms:Decrypt', resource: keys.shared },
      encrypt: { principal, action: 'kms:Encrypt', resource: keys.shared },
      generate: { principal, action: 'kms:GenerateDataKey', resource: keys.shared },
      otherKey: { principal, action: 'kms:Decrypt', resource: keys.defaults },
      manage: { principal, action: 'kms:PutKeyPolicy', resource: keys.shared },
    });
    expect(decisions).toEqual({ decrypt: 'Allowed', encrypt: 'ImplicitlyDenied', generate: 'ImplicitlyDenied', otherKey: 'ImplicitlyDenied', manage: 'ImplicitlyDenied' });
  });

  test('EnvelopeEncryption through an alias grants on the key, with the encryption context', async () => {
    const principal = roleArn('Apps', 'AliasWriter');
    const decisions = await authorizer.decideAll({
      withContext: { principal, action: 'kms:GenerateDataKey', resource: keys.shared, context: { 'kms:EncryptionContext:tenant': 'acme' } },
      otherContext: { principal, action: 'kms:GenerateDataKey', resource: keys.shared, context: { 'kms:EncryptionContext:tenant': 'evil' } },
      decrypt: { principal, action: 'kms:Decrypt', resource: keys.shared, context: { 'kms:EncryptionContext:tenant': 'acme' } },
    });
    expect(decisions).toEqual({ withContext: 'Allowed', otherContext: 'ImplicitlyDenied', decrypt: 'ImplicitlyDenied' });
  });

  test('EnvelopeEncryption through an imported reference to our key grants on the key policy', async () => {
    expect(await authorizer.decide({ principal: roleArn('Apps', 'ImportedReader'), action: 'kms:Decrypt', resource: keys.shared })).toBe('Allowed');
  });

  test('an ungranted role of the account (even with Allow *:*), another account and an anonymous caller are denied', async () => {
    const decisions = await authorizer.decideAll({
      ungranted: { principal: roleArn('Apps', 'Ungranted'), action: 'kms:Decrypt', resource: keys.shared },
      powerUser: { principal: `arn:aws:iam::${ACCOUNT}:role/PowerUser`, action: 'kms:Decrypt', resource: keys.shared, identityPolicies: [ALLOW_ALL] },
      otherAccount: { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, action: 'kms:Decrypt', resource: keys.shared, identityPolicies: [ALLOW_ALL] },
      anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: keys.shared },
    });
    expect(decisions).toEqual({ ungranted: 'ImplicitlyDenied', powerUser: 'ImplicitlyDenied', otherAccount: 'ImplicitlyDenied', anonymous: 'ImplicitlyDenied' });
  });

  test('the cross-stack grant is not delegated to IAM: a role with Allow *:* but without the tag is denied, also through a service', async () => {
    const powerUser = `arn:aws:iam::${ACCOUNT}:role/PowerUser`;
    expect(await authorizer.decide({
      principal: powerUser, action: 'kms:Decrypt', resource: keys.shared, identityPolicies: [ALLOW_ALL], context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
    })).toBe('ImplicitlyDenied');
  });
});

describe('templates of grants across stacks', () => {
  test('no dependency cycle: the key\'s stack refers to no grantee stack, and no statement gives the account unconditioned use', () => {
    const data = resolved.stack('Data').template;
    expect(JSON.stringify(data)).not.toContain('Fn::ImportValue');
    const statements: any[] = resolved.resource('AWS::KMS::Key', 'Shared', 'Data').properties.KeyPolicy.Statement;
    const toAccount = statements.filter(s => s.Effect === 'Allow' && JSON.stringify(s.Principal).endsWith(':root"}'));
    for (const statement of toAccount) {
      const actions = [statement.Action].flat();
      if (actions.some((a: string) => /Decrypt|Encrypt|GenerateDataKey/.test(a))) {
        expect(statement.Condition).toBeDefined();
      }
    }
  });
});

describe('public-principal statements "limited" by conditions that do not limit', () => {
  const fakeLimit = () => new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Decrypt'],
    resources: ['*'],
    conditions: { StringLikeIfExists: { 'aws:PrincipalArn': '*' } },
  });

  test('the simulator shows the danger of one slipped in by an escape hatch; the gate flags it (CEG-KMS-2), and our key refuses it at synthesis', async () => {
    const slipIn = (key: kms.Key) => {
      const cfnKey = key.node.defaultChild as kms.CfnKey;
      const next = Stack.of(key).resolve(cfnKey.keyPolicy).Statement.length;
      cfnKey.addPropertyOverride(`KeyPolicy.Statement.${next}`, Stack.of(key).resolve(fakeLimit().toStatementJson()));
    };
    // A plain kms.Key takes it: the simulator shows what it lets in.
    const app = newApp();
    const plain = new Stack(app, 'Plain', { env: { account: ACCOUNT, region: REGION } });
    slipIn(new kms.Key(plain, 'Key'));
    const open = ResolvedApp.of(app);
    const key = open.resource('AWS::KMS::Key', 'Key').arn;
    const decide = new Authorizer(open);
    expect(await decide.decideAll({
      anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: key },
      otherAccount: { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/R`, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
    })).toEqual({ anonymous: 'Allowed', otherAccount: 'Allowed' });

    // A CmkWithPolicy: the gate flags it, and synthesis refuses it.
    const ours = newApp();
    const stack = new Stack(ours, 'Open', { env: { account: ACCOUNT, region: REGION } });
    slipIn(new CmkWithPolicy(stack, 'Key'));
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-KMS-2'] });
    expect(findings.map(f => `${f.ruleId} ${f.constructPath} ${f.kind}`)).toEqual(['CEG-KMS-2 Open/Key/Resource non-compliant']);
    expect(() => ours.synth()).toThrow(/allows every principal \("\*"\) without a condition that limits who.*escape hatch/s);
  });

  test('addToResourcePolicy refuses a "*" statement whose only condition is StringLikeIfExists aws:PrincipalArn "*"', () => {
    const stack = new Stack(newApp(), 'Guard', { env: { account: ACCOUNT, region: REGION } });
    expect(() => new CmkWithPolicy(stack, 'Key').addToResourcePolicy(fakeLimit())).toThrow(/every principal/);
  });
});

describe('a grantee of the account in another Region', () => {
  // Principal tags are global: the grant takes the tag path, as in the key's Region, and is not
  // delegated to the account's IAM policies.
  let far: Authorizer;
  let farResolved: ResolvedApp;
  beforeAll(() => {
    const app = newApp();
    const data = new Stack(app, 'Data', { env: { account: ACCOUNT, region: REGION } });
    const remote = new Stack(app, 'Remote', { env: { account: ACCOUNT, region: 'us-east-1' }, crossRegionReferences: true });
    const key = new CmkWithPolicy(data, 'Shared');
    key.grantDecrypt(role(remote, 'FarReader'));
    role(remote, 'FarUngranted');
    farResolved = ResolvedApp.of(app);
    far = new Authorizer(farResolved);
  });

  test('the granted role may decrypt; a role of the account with Allow *:* but no grant may not', async () => {
    const key = farResolved.resource('AWS::KMS::Key', 'Shared', 'Data').arn;
    const arn = (id: string) => farResolved.resource('AWS::IAM::Role', id, 'Remote').arn;
    expect(await far.decideAll({
      granted: { principal: arn('FarReader'), action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
      ungranted: { principal: arn('FarUngranted'), action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
      powerUser: { principal: `arn:aws:iam::${ACCOUNT}:role/PowerUser`, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
    })).toEqual({ granted: 'Allowed', ungranted: 'ImplicitlyDenied', powerUser: 'ImplicitlyDenied' });
  });
});
