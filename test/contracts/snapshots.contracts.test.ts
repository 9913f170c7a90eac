import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CmkWithPolicy, EncryptedSnapshotCopy, MultiRegionKey, SnapshotSource } from '../../src';
import { newApp } from '../support/app';
import { notAllowed } from './support/calls';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployerDeniedOnKey, deployRole, grantForResource, OTHER_ACCOUNT, roleOf, viaService } from './support/simulator';

/**
 * Authorization contracts of `EncryptedSnapshotCopy`: the deploying role manages the copy's key; the
 * handler role makes exactly the calls of its code (copy this source into this copy, describe it,
 * delete it only when the copy is destroyed, and on EBS only snapshots carrying its construct's tag),
 * and may let RDS or EC2 create their grant on the copy's key through the service; the account's
 * principals may restore through the service; everyone else is denied.
 */

const REGION = 'eu-west-1';
const COPY_TAG = 'cdk-encryption-guard:snapshot-copy';
const rdsSnapshot = (name: string, cluster = false) => `arn:aws:rds:${REGION}:${ACCOUNT}:${cluster ? 'cluster-snapshot' : 'snapshot'}:${name}`;
const ebsSnapshot = (id: string) => `arn:aws:ec2:${REGION}::snapshot/${id}`;

let resolved: ResolvedApp;
let authorizer: Authorizer;
let keys: { db: string; cluster: string; ebs: string; user: string };
let targets: { db: string; cluster: string; user: string };
let tagValue: string;
let handler: string;

beforeAll(() => {
  const app = newApp();
  const stack = new Stack(app, 'Snap', { env: { account: ACCOUNT, region: REGION } });
  new EncryptedSnapshotCopy(stack, 'DbCopy', { source: SnapshotSource.rdsDbSnapshot('orders-final'), targetIdentifier: 'orders-encrypted', removalPolicy: RemovalPolicy.DESTROY });
  new EncryptedSnapshotCopy(stack, 'ClusterCopy', { source: SnapshotSource.auroraClusterSnapshot('reports-final'), targetIdentifier: 'reports-encrypted' });
  new EncryptedSnapshotCopy(stack, 'EbsCopy', { source: SnapshotSource.ebsSnapshot('snap-0123456789abcdef0'), removalPolicy: RemovalPolicy.DESTROY });
  new EncryptedSnapshotCopy(stack, 'UserKeyCopy', {
    source: SnapshotSource.rdsDbSnapshot('billing-final'), targetIdentifier: 'billing-encrypted', encryptionKey: new CmkWithPolicy(stack, 'UserKey'),
  });
  resolved = ResolvedApp.of(app);
  authorizer = new Authorizer(resolved);
  const key = (prefix: string) => resolved.resource('AWS::KMS::Key', prefix, 'Snap').arn;
  keys = { db: key('DbCopyKey'), cluster: key('ClusterCopyKey'), ebs: key('EbsCopyKey'), user: key('UserKey') };
  targets = { db: rdsSnapshot('orders-encrypted'), cluster: rdsSnapshot('reports-encrypted', true), user: rdsSnapshot('billing-encrypted') };
  tagValue = resolved.resources('Custom::EncryptedSnapshotCopy', 'Snap').find(r => r.properties.SourceType === 'ebs-snapshot')!.properties.TagValue;
  handler = roleOf(resolved, 'CegEncryptedSnapshotCopyProviderHandlerRole', 'Snap');
});


describe('deploy: the CloudFormation execution role', () => {
  test.each(['db', 'cluster', 'ebs', 'user'] as const)('may create, update and delete the %s copy\'s key (lockout check passed)', async which => {
    expect(await deployerDeniedOnKey(authorizer, REGION, keys[which])).toEqual([]);
  });
});

describe('the handler role: RDS and Aurora copies', () => {
  test('copies, describes, tags and (when destroyed) deletes its copy; RDS may create its grant on the copy\'s key', async () => {
    expect(notAllowed(await authorizer.decideAll({
      copySource: { principal: handler, action: 'rds:CopyDBSnapshot', resource: rdsSnapshot('orders-final') },
      copyTarget: { principal: handler, action: 'rds:CopyDBSnapshot', resource: targets.db },
      describe: { principal: handler, action: 'rds:DescribeDBSnapshots', resource: targets.db },
      tag: { principal: handler, action: 'rds:AddTagsToResource', resource: targets.db },
      delete: { principal: handler, action: 'rds:DeleteDBSnapshot', resource: targets.db },
      createGrant: { principal: handler, action: 'kms:CreateGrant', resource: keys.db, context: grantForResource('rds', REGION) },
      describeKey: { principal: handler, action: 'kms:DescribeKey', resource: keys.db, context: viaService('rds', REGION) },
      clusterSource: { principal: handler, action: 'rds:CopyDBClusterSnapshot', resource: rdsSnapshot('reports-final', true) },
      clusterTarget: { principal: handler, action: 'rds:CopyDBClusterSnapshot', resource: targets.cluster },
      clusterDescribe: { principal: handler, action: 'rds:DescribeDBClusterSnapshots', resource: targets.cluster },
      clusterGrant: { principal: handler, action: 'kms:CreateGrant', resource: keys.cluster, context: grantForResource('rds', REGION) },
      userKeyGrant: { principal: handler, action: 'kms:CreateGrant', resource: keys.user, context: grantForResource('rds', REGION) },
      userKeyDescribe: { principal: handler, action: 'kms:DescribeKey', resource: keys.user, context: viaService('rds', REGION) },
    }))).toEqual([]);
  });

  test('deletes no retained copy, copies into no other snapshot, and uses the key neither directly nor for itself', async () => {
    expect(await authorizer.decideAll({
      deleteRetained: { principal: handler, action: 'rds:DeleteDBClusterSnapshot', resource: targets.cluster },
      deleteOther: { principal: handler, action: 'rds:DeleteDBSnapshot', resource: rdsSnapshot('production') },
      copyIntoOther: { principal: handler, action: 'rds:CopyDBSnapshot', resource: rdsSnapshot('elsewhere') },
      directGrant: { principal: handler, action: 'kms:CreateGrant', resource: keys.db },
      grantThroughEc2: { principal: handler, action: 'kms:CreateGrant', resource: keys.db, context: grantForResource('ec2', REGION) },
      decrypt: { principal: handler, action: 'kms:Decrypt', resource: keys.db, context: viaService('rds', REGION) },
      manage: { principal: handler, action: 'kms:PutKeyPolicy', resource: keys.db },
    })).toEqual({
      deleteRetained: 'ImplicitlyDenied',
      deleteOther: 'ImplicitlyDenied',
      copyIntoOther: 'ImplicitlyDenied',
      directGrant: 'ExplicitlyDenied',
      grantThroughEc2: 'ImplicitlyDenied',
      decrypt: 'ImplicitlyDenied',
      manage: 'ImplicitlyDenied',
    });
  });
});

describe('the handler role: EBS copies', () => {
  test('copies the source into a snapshot carrying its tag, tags it while copying, describes and deletes only its own copies', async () => {
    const newCopy = ebsSnapshot('snap-0fedcba9876543210');
    const tagged = { [`aws:RequestTag/${COPY_TAG}`]: tagValue, 'aws:TagKeys': [COPY_TAG] };
    expect(await authorizer.decideAll({
      copySource: { principal: handler, action: 'ec2:CopySnapshot', resource: ebsSnapshot('snap-0123456789abcdef0') },
      copyTagged: { principal: handler, action: 'ec2:CopySnapshot', resource: newCopy, context: tagged },
      tagWhileCopying: { principal: handler, action: 'ec2:CreateTags', resource: newCopy, context: { ...tagged, 'ec2:CreateAction': 'CopySnapshot' } },
      describe: { principal: handler, action: 'ec2:DescribeSnapshots', resource: '*' },
      deleteOwn: { principal: handler, action: 'ec2:DeleteSnapshot', resource: newCopy, context: { [`ec2:ResourceTag/${COPY_TAG}`]: tagValue } },
      createGrant: { principal: handler, action: 'kms:CreateGrant', resource: keys.ebs, context: grantForResource('ec2', REGION) },
      generate: { principal: handler, action: 'kms:GenerateDataKeyWithoutPlaintext', resource: keys.ebs, context: viaService('ec2', REGION) },
      describeKey: { principal: handler, action: 'kms:DescribeKey', resource: keys.ebs, context: viaService('ec2', REGION) },
      // Refused:
      copyUntagged: { principal: handler, action: 'ec2:CopySnapshot', resource: newCopy },
      copyOtherTag: { principal: handler, action: 'ec2:CopySnapshot', resource: newCopy, context: { [`aws:RequestTag/${COPY_TAG}`]: 'someone-else' } },
      tagLater: { principal: handler, action: 'ec2:CreateTags', resource: newCopy, context: { 'ec2:CreateAction': 'CreateSnapshot' } },
      deleteOthers: { principal: handler, action: 'ec2:DeleteSnapshot', resource: newCopy, context: { [`ec2:ResourceTag/${COPY_TAG}`]: 'someone-else' } },
      deleteUntagged: { principal: handler, action: 'ec2:DeleteSnapshot', resource: newCopy },
      directDecrypt: { principal: handler, action: 'kms:Decrypt', resource: keys.ebs },
    })).toEqual({
      copySource: 'Allowed',
      copyTagged: 'Allowed',
      tagWhileCopying: 'Allowed',
      describe: 'Allowed',
      deleteOwn: 'Allowed',
      createGrant: 'Allowed',
      generate: 'Allowed',
      describeKey: 'Allowed',
      copyUntagged: 'ImplicitlyDenied',
      copyOtherTag: 'ImplicitlyDenied',
      tagLater: 'ImplicitlyDenied',
      deleteOthers: 'ImplicitlyDenied',
      deleteUntagged: 'ImplicitlyDenied',
      directDecrypt: 'ImplicitlyDenied',
    });
  });
});

describe('restoring, and strangers', () => {
  test('a role of the account whose IAM policy allows it may restore through RDS (a copy under the made key)', async () => {
    const principal = `arn:aws:iam::${ACCOUNT}:role/Restorer`;
    expect(notAllowed(await authorizer.decideAll({
      createGrant: { principal, action: 'kms:CreateGrant', resource: keys.db, identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
      describe: { principal, action: 'kms:DescribeKey', resource: keys.db, identityPolicies: [ALLOW_ALL], context: viaService('rds', REGION) },
      ebsGrant: { principal, action: 'kms:CreateGrant', resource: keys.ebs, identityPolicies: [ALLOW_ALL], context: grantForResource('ec2', REGION) },
    }))).toEqual([]);
  });

  test('a key you pass is opened to the handler role and the deploying role (which restores): other roles of the account are not let in', async () => {
    const principal = `arn:aws:iam::${ACCOUNT}:role/Restorer`;
    const deployer = deployRole(REGION);
    expect(await authorizer.decideAll({
      other: { principal, action: 'kms:CreateGrant', resource: keys.user, identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
      deployerGrant: { principal: deployer, action: 'kms:CreateGrant', resource: keys.user, identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
      deployerDescribe: { principal: deployer, action: 'kms:DescribeKey', resource: keys.user, identityPolicies: [ALLOW_ALL], context: viaService('rds', REGION) },
      deployerDirect: { principal: deployer, action: 'kms:Decrypt', resource: keys.user, identityPolicies: [ALLOW_ALL] },
      deployerGrantThroughEc2: { principal: deployer, action: 'kms:CreateGrant', resource: keys.user, identityPolicies: [ALLOW_ALL], context: grantForResource('ec2', REGION) },
    })).toEqual({ other: 'ImplicitlyDenied', deployerGrant: 'Allowed', deployerDescribe: 'Allowed', deployerDirect: 'ImplicitlyDenied', deployerGrantThroughEc2: 'ImplicitlyDenied' });
  });

  test('direct use, another account (even through RDS) and an anonymous caller are denied', async () => {
    const stranger = `arn:aws:iam::${OTHER_ACCOUNT}:role/R`;
    expect(await authorizer.decideAll({
      powerUserDirect: { principal: `arn:aws:iam::${ACCOUNT}:role/PowerUser`, action: 'kms:Decrypt', resource: keys.db, identityPolicies: [ALLOW_ALL] },
      otherAccountViaRds: { principal: stranger, action: 'kms:CreateGrant', resource: keys.db, identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
      otherAccountViaEc2: { principal: stranger, action: 'kms:Decrypt', resource: keys.ebs, identityPolicies: [ALLOW_ALL], context: viaService('ec2', REGION) },
      anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: keys.db, context: viaService('rds', REGION) },
    })).toEqual({ powerUserDirect: 'ImplicitlyDenied', otherAccountViaRds: 'ImplicitlyDenied', otherAccountViaEc2: 'ImplicitlyDenied', anonymous: 'ImplicitlyDenied' });
  });
});

describe('a key passed as an alias, an imported reference or a multi-Region replica', () => {
  // The grants go to the key behind it: an alias ARN authorizes nothing, and the key's policy is the one to change.
  test.each(['alias', 'imported', 'replica', 'aliasAttributes'] as const)('%s: the handler copies and the deploying role restores through RDS', async kind => {
    const app = newApp();
    const keyStack = new Stack(app, 'Keys', { env: { account: ACCOUNT, region: REGION } });
    const snap = new Stack(app, 'Copies', { env: { account: ACCOUNT, region: REGION } });
    const primary = kind === 'replica' ? new MultiRegionKey(new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'us-east-1' } }), 'Key') : undefined;
    const replicaStack = kind === 'replica' ? new Stack(app, 'Replica', { env: { account: ACCOUNT, region: REGION }, crossRegionReferences: true }) : undefined;
    const own = kind === 'replica' ? undefined : new CmkWithPolicy(keyStack, 'Key');
    const given = kind === 'alias' ? own!.addAlias('alias/copies') : kind === 'imported' ? kms.Key.fromKeyArn(snap, 'Imported', own!.keyArn)
      : kind === 'aliasAttributes' ? kms.Alias.fromAliasAttributes(snap, 'Named', { aliasName: 'alias/copies', aliasTargetKey: own! }) : primary!.addReplica(replicaStack!);
    new EncryptedSnapshotCopy(snap, 'Copy', { source: SnapshotSource.rdsDbSnapshot('orders-final'), targetIdentifier: 'orders-encrypted', encryptionKey: given });
    const all = ResolvedApp.of(app);
    const key = all.resource(kind === 'replica' ? 'AWS::KMS::ReplicaKey' : 'AWS::KMS::Key', kind === 'replica' ? 'ReplicaOf' : 'Key', kind === 'replica' ? 'Replica' : 'Keys').arn;
    const decide = new Authorizer(all);
    const copier = roleOf(all, 'CegEncryptedSnapshotCopyProviderHandlerRole', 'Copies');
    expect(await decide.decideAll({
      copyGrant: { principal: copier, action: 'kms:CreateGrant', resource: key, context: grantForResource('rds', REGION) },
      restoreGrant: { principal: deployRole(REGION), action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
    })).toEqual({ copyGrant: 'Allowed', restoreGrant: 'Allowed' });
  });
});
