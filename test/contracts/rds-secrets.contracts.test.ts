import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CmkWithPolicy, EncryptedRdsInstance } from '../../src';
import { newApp, rdsManagesPasswords } from '../support/app';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployRole, grantForResource, OTHER_ACCOUNT, viaService } from './support/simulator';

/**
 * Authorization contracts of `EncryptedRdsInstance` and its `RotatingSecret`: the deploying role's
 * CreateDBInstance (RDS creates a grant on the key for it), CreateSecret (Secrets Manager generates a
 * data key), the hosted rotation function's use of the key through Secrets Manager, and RDS-managed
 * credentials; nobody may use the key directly or from another account.
 */

const REGION = 'eu-west-1';
const POSTGRES = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });

let authorizer: Authorizer;
let keys: { rotating: string; managed: string };
/** RDS-managed passwords need an aws-cdk-lib that renders them (not the CI floor job's). */
const MANAGED = rdsManagesPasswords();
const CHOICES = MANAGED ? ['rotating', 'managed'] as const : ['rotating'] as const;
let secretArn: string;

beforeAll(() => {
  const app = newApp();
  const stack = new Stack(app, 'Db', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new EncryptedRdsInstance(stack, 'Rotating', { engine: POSTGRES, vpc });
  if (MANAGED) {
    new EncryptedRdsInstance(stack, 'Managed', { engine: POSTGRES, vpc, manageMasterUserPassword: true });
  }
  const resolved = ResolvedApp.of(app);
  authorizer = new Authorizer(resolved);
  keys = { rotating: resolved.resource('AWS::KMS::Key', 'RotatingKey').arn, managed: MANAGED ? resolved.resource('AWS::KMS::Key', 'ManagedKey').arn : '' };
  secretArn = resolved.resource('AWS::SecretsManager::Secret', 'RotatingCredentials').arn;
});

describe('deploy: the CloudFormation execution role', () => {
  test.each(CHOICES)('%s credentials: CreateDBInstance may create its grant and describe the key through RDS', async which => {
    const deployer = deployRole(REGION);
    expect(await authorizer.decideAll({
      createGrant: { principal: deployer, action: 'kms:CreateGrant', resource: keys[which], identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
      describe: { principal: deployer, action: 'kms:DescribeKey', resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('rds', REGION) },
      // Not for an AWS resource, or not through RDS: refused.
      grantForItself: {
        principal: deployer,
        action: 'kms:CreateGrant',
        resource: keys[which],
        identityPolicies: [ALLOW_ALL],
        context: { 'kms:ViaService': `rds.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'false' },
      },
      directGrant: { principal: deployer, action: 'kms:CreateGrant', resource: keys[which], identityPolicies: [ALLOW_ALL] },
    })).toEqual({ createGrant: 'Allowed', describe: 'Allowed', grantForItself: 'ExplicitlyDenied', directGrant: 'ExplicitlyDenied' });
  });

  test.each(CHOICES)('%s credentials: the secret can be created and written through Secrets Manager', async which => {
    const deployer = deployRole(REGION);
    const call = (action: string) => ({ principal: deployer, action, resource: keys[which], identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', REGION) });
    expect(await authorizer.decideAll({ generate: call('kms:GenerateDataKey'), decrypt: call('kms:Decrypt') })).toEqual({ generate: 'Allowed', decrypt: 'Allowed' });
  });
});

describe('services and everyone else', () => {
  /** The hosted rotation function's role, as the Secrets Manager transform makes it (KmsKeyArn given). */
  const rotationRole = `arn:aws:iam::${ACCOUNT}:role/SecretsManagerRotationRole`;
  const rotationPolicy = () => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keys.rotating },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecretVersionStage'], Resource: secretArn },
    ],
  });

  test('the hosted rotation function uses the key only through Secrets Manager', async () => {
    const call = (action: string, context: Record<string, string>) => ({
      principal: rotationRole, action, resource: keys.rotating, identityPolicies: [rotationPolicy()], context,
    });
    expect(await authorizer.decideAll({
      decrypt: call('kms:Decrypt', viaService('secretsmanager', REGION)),
      generate: call('kms:GenerateDataKey', viaService('secretsmanager', REGION)),
      direct: call('kms:Decrypt', {}),
      putSecret: { principal: rotationRole, action: 'secretsmanager:PutSecretValue', resource: secretArn, identityPolicies: [rotationPolicy()] },
    })).toEqual({ decrypt: 'Allowed', generate: 'Allowed', direct: 'ImplicitlyDenied', putSecret: 'Allowed' });
  });

  test('a role of the account without IAM permission, another account and an anonymous caller cannot read the secret or use the key', async () => {
    expect(await authorizer.decideAll({
      noPolicy: { principal: `arn:aws:iam::${ACCOUNT}:role/App`, action: 'kms:Decrypt', resource: keys.rotating, identityPolicies: [], context: viaService('secretsmanager', REGION) },
      otherAccount: {
        principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/R`,
        action: 'kms:Decrypt',
        resource: keys.rotating,
        identityPolicies: [ALLOW_ALL],
        context: viaService('secretsmanager', REGION),
      },
      otherAccountSecret: { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/R`, action: 'secretsmanager:GetSecretValue', resource: secretArn, identityPolicies: [ALLOW_ALL] },
      anonymous: { principal: 'anonymous', action: 'secretsmanager:GetSecretValue', resource: secretArn },
    })).toEqual({ noPolicy: 'ImplicitlyDenied', otherAccount: 'ImplicitlyDenied', otherAccountSecret: 'ImplicitlyDenied', anonymous: 'ImplicitlyDenied' });
  });
});


describe('Performance Insights under the instance key: grantPerformanceInsightsRead', () => {
  // Callers of the Performance Insights API need Decrypt and GenerateDataKey on a customer managed
  // key through RDS (RDS User Guide): the grant lets its grantee in for this database's data only.
  let pi: { authorizer: Authorizer; key: string; viewer: string; dbId: string; metrics: string };
  beforeAll(() => {
    const app = newApp();
    const env = { account: ACCOUNT, region: REGION };
    const stack = new Stack(app, 'Db', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const db = new EncryptedRdsInstance(stack, 'Insights', { engine: POSTGRES, vpc, enablePerformanceInsights: true });
    const ops = new Stack(app, 'Ops', { env });
    db.grantPerformanceInsightsRead(new iam.Role(ops, 'Viewer', { assumedBy: new iam.AccountRootPrincipal() }));
    new iam.Role(ops, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    const resolved = ResolvedApp.of(app);
    // The metrics ARN the viewer's policy names, as CloudFormation resolves it (the DB's resource ID).
    const statements = resolved.resources('AWS::IAM::Policy', 'Ops').flatMap(p => p.properties.PolicyDocument.Statement);
    const metrics: string = statements.find((st: any) => [st.Action].flat().includes('pi:GetResourceMetrics')).Resource;
    pi = {
      authorizer: new Authorizer(resolved),
      key: resolved.resource('AWS::KMS::Key', 'InsightsKey').arn,
      viewer: resolved.resource('AWS::IAM::Role', 'Viewer', 'Ops').arn,
      dbId: metrics.split('/').pop()!,
      metrics,
    };
  });

  test('the viewer reads the metrics and decrypts this database\'s Performance Insights data through RDS; nothing else', async () => {
    expect(pi.metrics).toMatch(new RegExp(`^arn:aws:pi:${REGION}:${ACCOUNT}:metrics/rds/db-[0-9A-F]{26}$`));
    const piContext = (dbId: string) => ({
      'kms:ViaService': `rds.${REGION}.amazonaws.com`,
      'kms:EncryptionContext:aws:pi:service': 'rds',
      'kms:EncryptionContext:service': 'pi',
      'kms:EncryptionContext:aws:rds:db-id': dbId,
    });
    const other = `arn:aws:iam::${ACCOUNT}:role/Other`;
    expect(await pi.authorizer.decideAll({
      metrics: { principal: pi.viewer, action: 'pi:GetResourceMetrics', resource: pi.metrics },
      decrypt: { principal: pi.viewer, action: 'kms:Decrypt', resource: pi.key, context: piContext(pi.dbId) },
      generate: { principal: pi.viewer, action: 'kms:GenerateDataKey', resource: pi.key, context: piContext(pi.dbId) },
      direct: { principal: pi.viewer, action: 'kms:Decrypt', resource: pi.key },
      otherRole: { principal: other, action: 'kms:Decrypt', resource: pi.key, identityPolicies: [ALLOW_ALL], context: piContext(pi.dbId) },
      stranger: { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Viewer`, action: 'kms:Decrypt', resource: pi.key, identityPolicies: [ALLOW_ALL], context: piContext(pi.dbId) },
      deployer: { principal: deployRole(REGION), action: 'kms:Decrypt', resource: pi.key, identityPolicies: [ALLOW_ALL], context: piContext(pi.dbId) },
    })).toEqual({
      metrics: 'Allowed', decrypt: 'Allowed', generate: 'Allowed', direct: 'ImplicitlyDenied', otherRole: 'ImplicitlyDenied', stranger: 'ImplicitlyDenied', deployer: 'ImplicitlyDenied',
    });
  });

  test('refused when Performance Insights is off', () => {
    const stack = new Stack(newApp(), 'Off', { env: { account: ACCOUNT, region: REGION } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc });
    expect(() => db.grantPerformanceInsightsRead(new iam.Role(stack, 'Viewer', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow(/grantPerformanceInsightsRead on Off\/Db: Performance Insights is off/);
  });
});

describe('Performance Insights under a key of another stack', () => {
  test('grantPerformanceInsightsRead makes no dependency cycle (the database\'s ID stays out of the key\'s policy), and the viewer is still limited to this database', async () => {
    const app = newApp();
    const env = { account: ACCOUNT, region: REGION };
    const keyStack = new Stack(app, 'Keys', { env });
    const key = new CmkWithPolicy(keyStack, 'Shared');
    const stack = new Stack(app, 'Db', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const db = new EncryptedRdsInstance(stack, 'Insights', { engine: POSTGRES, vpc, storageEncryptionKey: key, enablePerformanceInsights: true });
    db.grantPerformanceInsightsRead(new iam.Role(new Stack(app, 'Ops', { env }), 'Viewer', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(() => app.synth()).not.toThrow();
    const resolved = ResolvedApp.of(app);
    const viewer = resolved.resource('AWS::IAM::Role', 'Viewer', 'Ops').arn;
    const statements = resolved.resources('AWS::IAM::Policy', 'Ops').flatMap(p => p.properties.PolicyDocument.Statement);
    const metrics: string = statements.find((st: any) => [st.Action].flat().includes('pi:GetResourceMetrics')).Resource;
    const context = (dbId: string) => ({
      'kms:ViaService': `rds.${REGION}.amazonaws.com`,
      'kms:EncryptionContext:aws:pi:service': 'rds',
      'kms:EncryptionContext:service': 'pi',
      'kms:EncryptionContext:aws:rds:db-id': dbId,
    });
    const keyArn = resolved.resource('AWS::KMS::Key', 'Shared', 'Keys').arn;
    expect(await new Authorizer(resolved).decideAll({
      own: { principal: viewer, action: 'kms:Decrypt', resource: keyArn, context: context(metrics.split('/').pop()!) },
      other: { principal: viewer, action: 'kms:Decrypt', resource: keyArn, context: context('db-SOMEOTHERDATABASE0000000000') },
    })).toEqual({ own: 'Allowed', other: 'ImplicitlyDenied' });
  });
});
