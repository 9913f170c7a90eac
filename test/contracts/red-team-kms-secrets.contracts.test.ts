import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CmkWithPolicy, MultiRegionKey, RotatingSecret } from '../../src';
import { newApp } from '../support/app';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployRole, OTHER_ACCOUNT, viaService } from './support/simulator';

/**
 * Contracts for defects the red team found in the KMS and secrets constructs (redteam-tmp2/REPORT.md):
 *
 * 1. A `MultiRegionKey` with named administrators: the role that deploys a replica's stack (the
 *    CloudFormation execution role of the replica's Region) must be allowed `kms:ReplicateKey` and
 *    `kms:DescribeKey` on the primary key by the primary's key policy (KMS API Reference,
 *    ReplicateKey: "Include this permission in the primary key's key policy").
 * 2. A `RotatingSecret` with replica Regions whose keys are ours: Secrets Manager replication needs
 *    `kms:GenerateDataKey` and `kms:Encrypt` on the replica Region's key (Secrets Manager API Reference,
 *    ReplicateSecretToRegions), and a reader of a replica needs `kms:Decrypt` on it, both through
 *    Secrets Manager in that Region.
 */

const PRIMARY = 'eu-west-1';
const DR = 'us-east-1';
const DR2 = 'us-west-2';
const env = (region: string) => ({ account: ACCOUNT, region });
const STRANGER = `arn:aws:iam::${OTHER_ACCOUNT}:role/Stranger`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/PowerUser`;

describe('MultiRegionKey with named administrators: the replica Region\'s deploying role may replicate the primary', () => {
  let authorizer: Authorizer;
  let primary: string;
  let replicas: Record<string, string>;

  beforeAll(() => {
    const app = newApp();
    const p = new Stack(app, 'P', { env: env(PRIMARY) });
    const admins = iam.Role.fromRoleArn(p, 'Admins', `arn:aws:iam::${ACCOUNT}:role/KeyAdmins`);
    const key = new MultiRegionKey(p, 'K', { administrators: [admins] });
    for (const [id, region] of [['DR', DR], ['DR2', DR2]]) {
      key.addReplica(new Stack(app, id, { env: env(region), crossRegionReferences: true }));
    }
    const resolved = ResolvedApp.of(app);
    authorizer = new Authorizer(resolved);
    primary = resolved.resource('AWS::KMS::Key', 'K', 'P').arn;
    replicas = { [DR]: resolved.resources('AWS::KMS::ReplicaKey', 'DR')[0].arn, [DR2]: resolved.resources('AWS::KMS::ReplicaKey', 'DR2')[0].arn };
  });

  const replicate = (principal: string, replicaRegion: string) => ({
    principal, action: 'kms:ReplicateKey', resource: primary, identityPolicies: [ALLOW_ALL], context: { 'kms:ReplicaRegion': replicaRegion },
  });
  const call = (principal: string, action: string, resource: string) => ({ principal, action, resource, identityPolicies: [ALLOW_ALL] });

  test.each([DR, DR2])('the deploying role of %s may ReplicateKey into its Region and DescribeKey the primary', async region => {
    expect(await authorizer.decideAll({
      replicate: replicate(deployRole(region), region),
      describe: call(deployRole(region), 'kms:DescribeKey', primary),
      putReplicaPolicy: call(deployRole(region), 'kms:PutKeyPolicy', replicas[region]),
    })).toEqual({ replicate: 'Allowed', describe: 'Allowed', putReplicaPolicy: 'Allowed' });
  });

  test('that role gets nothing else on the primary, and may not replicate it into another Region', async () => {
    const role = deployRole(DR);
    expect(await authorizer.decideAll({
      otherRegion: replicate(role, 'ap-southeast-2'),
      otherReplicasRegion: replicate(role, DR2),
      putPolicy: call(role, 'kms:PutKeyPolicy', primary),
      disable: call(role, 'kms:DisableKey', primary),
      scheduleDeletion: call(role, 'kms:ScheduleKeyDeletion', primary),
      decrypt: call(role, 'kms:Decrypt', primary),
      generate: call(role, 'kms:GenerateDataKey', primary),
    })).toEqual({
      otherRegion: 'ImplicitlyDenied',
      otherReplicasRegion: 'ImplicitlyDenied',
      putPolicy: 'ImplicitlyDenied',
      disable: 'ImplicitlyDenied',
      scheduleDeletion: 'ImplicitlyDenied',
      decrypt: 'ImplicitlyDenied',
      generate: 'ImplicitlyDenied',
    });
  });

  test('a stranger and another role of the account (both Allow *:*) may neither replicate nor describe the primary', async () => {
    expect(await authorizer.decideAll({
      strangerReplicate: replicate(STRANGER, DR),
      strangerDescribe: call(STRANGER, 'kms:DescribeKey', primary),
      otherRoleReplicate: replicate(OTHER_ROLE, DR),
      otherRoleDescribe: call(OTHER_ROLE, 'kms:DescribeKey', primary),
      strangerDeployRole: replicate(deployRole(DR, OTHER_ACCOUNT), DR),
    })).toEqual({
      strangerReplicate: 'ImplicitlyDenied',
      strangerDescribe: 'ImplicitlyDenied',
      otherRoleReplicate: 'ImplicitlyDenied',
      otherRoleDescribe: 'ImplicitlyDenied',
      strangerDeployRole: 'ImplicitlyDenied',
    });
  });

  test('the primary Region\'s deploying role keeps administering the primary', async () => {
    expect(await authorizer.decideAll({
      replicate: replicate(deployRole(PRIMARY), DR),
      putPolicy: call(deployRole(PRIMARY), 'kms:PutKeyPolicy', primary),
    })).toEqual({ replicate: 'Allowed', putPolicy: 'Allowed' });
  });
});

describe('MultiRegionKey replicas: the default administrators and deployingRoleArn are unchanged', () => {
  function primaryPolicy(props: ConstructorParameters<typeof MultiRegionKey>[2]): { sids: string[]; resolved: ResolvedApp } {
    const app = newApp();
    const p = new Stack(app, 'P', { env: env(PRIMARY) });
    new MultiRegionKey(p, 'K', props).addReplica(new Stack(app, 'DR', { env: env(DR), crossRegionReferences: true }));
    const resolved = ResolvedApp.of(app);
    const sids = resolved.resource('AWS::KMS::Key', 'K', 'P').properties.KeyPolicy.Statement.map((s: { Sid?: string }) => s.Sid);
    return { sids, resolved };
  }

  test('with the account as administrator, no statement is added: the account\'s IAM policies decide', async () => {
    const { sids, resolved } = primaryPolicy({});
    expect(sids).toEqual(['KeyAdministration', 'DenyGrantsNotForAwsResources']);
    const primary = resolved.resource('AWS::KMS::Key', 'K', 'P').arn;
    expect(await new Authorizer(resolved).decide({
      principal: deployRole(DR), action: 'kms:ReplicateKey', resource: primary, identityPolicies: [ALLOW_ALL], context: { 'kms:ReplicaRegion': DR },
    })).toBe('Allowed');
  });

  test('with deployingRoleArn, that role or the replica stack\'s execution role may deploy the replica (pass 40: the bootstrap\'s role is per Region)', async () => {
    const deployer = `arn:aws:iam::${ACCOUNT}:role/Pipeline`;
    const admins = [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/KeyAdmins`)];
    const { sids, resolved } = primaryPolicy({ administrators: admins, deployingRoleArn: deployer });
    expect(sids).toEqual(['KeyAdministration', 'DeployingRoleAdministration', 'DenyGrantsNotForAwsResources',
      'ReplicaDeployingRoleReplicateUsEast1', 'ReplicaDeployingRoleDescribeUsEast1']);
    const primary = resolved.resource('AWS::KMS::Key', 'K', 'P').arn;
    const replica = resolved.resource('AWS::KMS::ReplicaKey', 'ReplicaOf', 'DR').arn;
    const deployment = (principal: string) => ({
      replicate: { principal, action: 'kms:ReplicateKey', resource: primary, identityPolicies: [ALLOW_ALL], context: { 'kms:ReplicaRegion': DR } },
      describe: { principal, action: 'kms:DescribeKey', resource: primary, identityPolicies: [ALLOW_ALL] },
      replicaPolicy: { principal, action: 'kms:PutKeyPolicy', resource: replica, identityPolicies: [ALLOW_ALL] },
    });
    const allowed = { replicate: 'Allowed', describe: 'Allowed', replicaPolicy: 'Allowed' };
    const authorizer = new Authorizer(resolved);
    expect(await authorizer.decideAll(deployment(deployer))).toEqual(allowed);
    expect(await authorizer.decideAll(deployment(deployRole(DR)))).toEqual(allowed);
    // Not the primary Region's execution role, which deploys neither here.
    expect(await authorizer.decideAll(deployment(deployRole(PRIMARY))))
      .toEqual({ replicate: 'ImplicitlyDenied', describe: 'ImplicitlyDenied', replicaPolicy: 'ImplicitlyDenied' });
  });
});

const THIRD_ACCOUNT = '333333333333';

describe('RotatingSecret with replica Regions whose keys are ours: replication and reads there are allowed', () => {
  let authorizer: Authorizer;
  let keys: { primary: string; mrkReplica: string; cmk: string };
  let reader: string;
  let ungranted: string;
  let secretArn: string;

  beforeAll(() => {
    const app = newApp();
    const p = new Stack(app, 'P', { env: env(PRIMARY), crossRegionReferences: true });
    const dr = new Stack(app, 'DR', { env: env(DR), crossRegionReferences: true });
    const dr2 = new Stack(app, 'DR2', { env: env(DR2), crossRegionReferences: true });
    const key = new MultiRegionKey(p, 'K');
    const mrkReplica = key.addReplica(dr);
    const cmk = new CmkWithPolicy(dr2, 'Cmk');
    // The secret in a stack of its own: in the primary key's stack, P -> DR -> P would be a cycle.
    const secrets = new Stack(app, 'Secrets', { env: env(PRIMARY), crossRegionReferences: true });
    const fn = lambda.Function.fromFunctionArn(secrets, 'Fn', `arn:aws:lambda:${PRIMARY}:${ACCOUNT}:function:rotate`);
    const secret = new RotatingSecret(secrets, 'S', {
      encryptionKey: key,
      rotationLambda: fn,
      replicaRegions: [{ region: DR, encryptionKey: mrkReplica }, { region: DR2, encryptionKey: cmk }],
      crossAccountReadIds: [OTHER_ACCOUNT],
    });
    secret.grantRead(new iam.Role(secrets, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    // A role of a third account, imported: its policy is not ours to write, so the secret's and keys' are.
    secret.grantRead(iam.Role.fromRoleArn(secrets, 'ThirdPartyReader', `arn:aws:iam::${THIRD_ACCOUNT}:role/Reader`));
    new iam.Role(secrets, 'Ungranted', { assumedBy: new iam.AccountRootPrincipal() });
    const resolved = ResolvedApp.of(app);
    authorizer = new Authorizer(resolved);
    keys = {
      primary: resolved.resource('AWS::KMS::Key', 'K', 'P').arn,
      mrkReplica: resolved.resources('AWS::KMS::ReplicaKey', 'DR')[0].arn,
      cmk: resolved.resource('AWS::KMS::Key', 'Cmk', 'DR2').arn,
    };
    reader = resolved.resource('AWS::IAM::Role', 'Reader', 'Secrets').arn;
    ungranted = resolved.resource('AWS::IAM::Role', 'Ungranted', 'Secrets').arn;
    secretArn = resolved.resource('AWS::SecretsManager::Secret', 'S', 'Secrets').arn;
  });

  const replicaCases = [['the multi-Region replica', DR, 'mrkReplica'], ['a CmkWithPolicy', DR2, 'cmk']] as const;

  test.each(replicaCases)('%s in %s: a grantRead grantee may read the replica secret, whose ARN names that Region', async (_label, region) => {
    // Secrets Manager User Guide: a replica's ARN is the primary's with the replica's Region.
    const replicaArn = secretArn.replace(`:${PRIMARY}:`, `:${region}:`);
    expect(replicaArn).not.toBe(secretArn);
    expect(await authorizer.decideAll({
      primary: { principal: reader, action: 'secretsmanager:GetSecretValue', resource: secretArn },
      replica: { principal: reader, action: 'secretsmanager:GetSecretValue', resource: replicaArn },
      describe: { principal: reader, action: 'secretsmanager:DescribeSecret', resource: replicaArn },
      ungranted: { principal: ungranted, action: 'secretsmanager:GetSecretValue', resource: replicaArn },
      write: { principal: reader, action: 'secretsmanager:PutSecretValue', resource: replicaArn },
    })).toEqual({ primary: 'Allowed', replica: 'Allowed', describe: 'Allowed', ungranted: 'ImplicitlyDenied', write: 'ImplicitlyDenied' });
  });

  test.each(replicaCases)('%s in %s: an imported role of another account granted grantRead reads the replica secret and decrypts its key there', async (_label, region, which) => {
    const replicaArn = secretArn.replace(`:${PRIMARY}:`, `:${region}:`);
    const thirdParty = `arn:aws:iam::${THIRD_ACCOUNT}:role/Reader`;
    const other = `arn:aws:iam::${THIRD_ACCOUNT}:role/Other`;
    expect(await authorizer.decideAll({
      primary: { principal: thirdParty, action: 'secretsmanager:GetSecretValue', resource: secretArn, identityPolicies: [ALLOW_ALL] },
      replica: { principal: thirdParty, action: 'secretsmanager:GetSecretValue', resource: replicaArn, identityPolicies: [ALLOW_ALL] },
      decrypt: { principal: thirdParty, action: 'kms:Decrypt', resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', region) },
      otherRole: { principal: other, action: 'secretsmanager:GetSecretValue', resource: replicaArn, identityPolicies: [ALLOW_ALL] },
      otherDecrypt: { principal: other, action: 'kms:Decrypt', resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', region) },
    })).toEqual({ primary: 'Allowed', replica: 'Allowed', decrypt: 'Allowed', otherRole: 'ImplicitlyDenied', otherDecrypt: 'ImplicitlyDenied' });
  });

  test.each(replicaCases)('%s in %s: a crossAccountReadIds account may read the replica secret through the replicated resource policy', async (_label, region) => {
    const replicaArn = secretArn.replace(`:${PRIMARY}:`, `:${region}:`);
    const partner = `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`;
    const stranger = 'arn:aws:iam::222222222222:role/Stranger';
    expect(await authorizer.decideAll({
      primary: { principal: partner, action: 'secretsmanager:GetSecretValue', resource: secretArn, identityPolicies: [ALLOW_ALL] },
      replica: { principal: partner, action: 'secretsmanager:GetSecretValue', resource: replicaArn, identityPolicies: [ALLOW_ALL] },
      stranger: { principal: stranger, action: 'secretsmanager:GetSecretValue', resource: replicaArn, identityPolicies: [ALLOW_ALL] },
      write: { principal: partner, action: 'secretsmanager:PutSecretValue', resource: replicaArn, identityPolicies: [ALLOW_ALL] },
    })).toEqual({ primary: 'Allowed', replica: 'Allowed', stranger: 'ImplicitlyDenied', write: 'ImplicitlyDenied' });
  });

  test.each(replicaCases)('%s in %s: the deploying role may replicate the secret through Secrets Manager there', async (_label, region, which) => {
    const deployer = deployRole(PRIMARY);
    const call = (action: string) => ({ principal: deployer, action, resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', region) });
    expect(await authorizer.decideAll({
      generate: call('kms:GenerateDataKey'),
      encrypt: call('kms:Encrypt'),
      directly: { principal: deployer, action: 'kms:GenerateDataKey', resource: keys[which], identityPolicies: [ALLOW_ALL] },
      throughPrimaryRegion: { ...call('kms:GenerateDataKey'), context: viaService('secretsmanager', PRIMARY) },
    })).toEqual({ generate: 'Allowed', encrypt: 'Allowed', directly: 'ImplicitlyDenied', throughPrimaryRegion: 'ImplicitlyDenied' });
  });

  test.each(replicaCases)('%s in %s: a grantRead grantee may decrypt the replica through Secrets Manager, with the policies the app gives it', async (_label, region, which) => {
    expect(await authorizer.decideAll({
      replica: { principal: reader, action: 'kms:Decrypt', resource: keys[which], context: viaService('secretsmanager', region) },
      primary: { principal: reader, action: 'kms:Decrypt', resource: keys.primary, context: viaService('secretsmanager', PRIMARY) },
      directly: { principal: reader, action: 'kms:Decrypt', resource: keys[which] },
      encrypt: { principal: reader, action: 'kms:Encrypt', resource: keys[which], context: viaService('secretsmanager', region) },
    })).toEqual({ replica: 'Allowed', primary: 'Allowed', directly: 'ImplicitlyDenied', encrypt: 'ImplicitlyDenied' });
  });

  test.each(replicaCases)('%s in %s: a crossAccountReadIds account may decrypt it through Secrets Manager; a stranger may not', async (_label, region, which) => {
    const partner = `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`;
    const stranger = 'arn:aws:iam::222222222222:role/Stranger';
    expect(await authorizer.decideAll({
      partner: { principal: partner, action: 'kms:Decrypt', resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', region) },
      partnerDirectly: { principal: partner, action: 'kms:Decrypt', resource: keys[which], identityPolicies: [ALLOW_ALL] },
      strangerViaSecretsManager: { principal: stranger, action: 'kms:Decrypt', resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', region) },
      strangerGenerate: { principal: stranger, action: 'kms:GenerateDataKey', resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', region) },
      ungrantedRole: { principal: ungranted, action: 'kms:Decrypt', resource: keys[which], context: viaService('secretsmanager', region) },
    })).toEqual({
      partner: 'Allowed',
      partnerDirectly: 'ImplicitlyDenied',
      strangerViaSecretsManager: 'ImplicitlyDenied',
      strangerGenerate: 'ImplicitlyDenied',
      ungrantedRole: 'ImplicitlyDenied',
    });
  });
});
