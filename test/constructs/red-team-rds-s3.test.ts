import { CfnElement, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket, CmkWithPolicy, EncryptedBucket, EncryptedRdsInstance } from '../../src';
import { ACCOUNT, isolatedVpc, newApp, newStack } from '../support/app';

/**
 * Defects found by a red-team pass on the L3 constructs (SQL Server Express Multi-AZ, version-less
 * engines, server access logs across Regions or accounts, an alias as a bucket's key).
 */

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
const OTHER_ACCOUNT = '222222222222';

/** The error `act` throws (fails the test when it throws nothing). */
function errorOf(act: () => unknown): Error {
  try {
    act();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

describe('EncryptedRdsInstance: SQL Server Express has no Multi-AZ', () => {
  const instances = () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const instance = (id: string, engine: rds.IInstanceEngine, props: Partial<rds.DatabaseInstanceProps> = {}) =>
      new EncryptedRdsInstance(stack, id, { engine, vpc, vpcSubnets: ISOLATED, licenseModel: rds.LicenseModel.LICENSE_INCLUDED, ...props });
    return { stack, instance };
  };
  const multiAzOf = (instance: EncryptedRdsInstance) => {
    const stack = Stack.of(instance);
    return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(instance.node.defaultChild as CfnElement)].Properties.MultiAZ;
  };

  test('Express, and Web before 2022 16.00.4215.2, are single-AZ by default; Standard and a recent Web stay Multi-AZ', () => {
    const { instance } = instances();
    const version = { version: rds.SqlServerEngineVersion.VER_16 };
    const express = instance('Express', rds.DatabaseInstanceEngine.sqlServerEx(version));
    const standard = instance('Standard', rds.DatabaseInstanceEngine.sqlServerSe(version));
    // A major version only: RDS's default minor version of SQL Server 2022, which has Multi-AZ for Web.
    const web = instance('Web', rds.DatabaseInstanceEngine.sqlServerWeb(version));
    const explicit = instance('ExpressSingleAz', rds.DatabaseInstanceEngine.sqlServerEx(version), { multiAz: false });
    const web2019 = instance('Web2019', rds.DatabaseInstanceEngine.sqlServerWeb({ version: rds.SqlServerEngineVersion.VER_15 }));
    const webFirst = instance('WebFirst', rds.DatabaseInstanceEngine.sqlServerWeb({ version: rds.SqlServerEngineVersion.VER_16_00_4215_2_V1 }));
    const webEarly = instance('WebEarly', rds.DatabaseInstanceEngine.sqlServerWeb({ version: rds.SqlServerEngineVersion.of('16.00.4210.3.v1', '16.00') }));
    expect([express, standard, web, explicit, web2019, webFirst, webEarly].map(multiAzOf)).toEqual([false, true, true, false, false, true, false]);
  });

  test('multiAz: true with Web before 2022 16.00.4215.2 is refused, naming the version and the fix', () => {
    const { instance } = instances();
    const error = errorOf(() => instance('Web', rds.DatabaseInstanceEngine.sqlServerWeb({ version: rds.SqlServerEngineVersion.VER_15 }), { multiAz: true }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/EncryptedRdsInstance "Web": multiAz is true, but engine sqlserver-web 15\.00 \(SQL Server Web\) has Multi-AZ deployments from SQL Server 2022 16\.00\.4215\.2 only/);
    expect(error.message).toMatch(/Leave multiAz unset .*Web 2022 16\.00\.4215\.2 or later/);
  });

  test('multiAz: true with Express is refused, naming the prop, the value and the fix', () => {
    const { instance } = instances();
    const error = errorOf(() => instance('Express', rds.DatabaseInstanceEngine.sqlServerEx({ version: rds.SqlServerEngineVersion.VER_16 }), { multiAz: true }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/EncryptedRdsInstance "Express": multiAz is true, but engine sqlserver-ex \(SQL Server Express\) has no Multi-AZ/);
    expect(error.message).toMatch(/Leave multiAz unset .*or choose SQL Server Standard or Enterprise/);
  });
});

describe('EncryptedRdsInstance: an engine without a version', () => {
  test.each([
    ['POSTGRES', rds.DatabaseInstanceEngine.POSTGRES, 'postgres', 'rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 })'],
    ['MYSQL', rds.DatabaseInstanceEngine.MYSQL, 'mysql', 'rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 })'],
    ['MARIADB', rds.DatabaseInstanceEngine.MARIADB, 'mariadb', 'rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_10_11 })'],
    ['SQL_SERVER_SE', rds.DatabaseInstanceEngine.SQL_SERVER_SE, 'sqlserver-se', 'rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16 })'],
    ['SQL_SERVER_EX', rds.DatabaseInstanceEngine.SQL_SERVER_EX, 'sqlserver-ex', 'rds.DatabaseInstanceEngine.sqlServerEx({ version: rds.SqlServerEngineVersion.VER_16 })'],
  ])('%s is refused by our own error: the TLS parameter group needs a versioned engine, and how to write one', (_name, engine, type, example) => {
    const stack = newStack(newApp());
    const error = errorOf(() => new EncryptedRdsInstance(stack, 'Db', { engine, vpc: isolatedVpc(stack), vpcSubnets: ISOLATED }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toContain(`EncryptedRdsInstance "Db": engine ${type} has no version, but the parameter group that forces TLS`);
    expect(error.message).toContain(`Give it one, for example ${example}.`);
    expect(error.message).not.toMatch(/ParameterGroup cannot be used/);
  });

  test('with a parameter group of a versioned engine, a version-less engine is still accepted (the group gets the TLS parameter)', () => {
    const stack = newStack(newApp());
    const parameterGroup = new rds.ParameterGroup(stack, 'Group', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }) });
    new EncryptedRdsInstance(stack, 'Db', { engine: rds.DatabaseInstanceEngine.POSTGRES, vpc: isolatedVpc(stack), vpcSubnets: ISOLATED, parameterGroup });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres16', Parameters: { 'rds.force_ssl': '1' } });
  });
});

describe('EncryptedBucket: server access logs stay in the source bucket\'s Region and account', () => {
  const env = (region: string, account = ACCOUNT) => ({ account, region });
  const pair = (logsEnv?: { account: string; region: string }, dataEnv?: { account: string; region: string }) => {
    const app = newApp();
    const logs = new Stack(app, 'Logs', { env: logsEnv, crossRegionReferences: true });
    const data = new Stack(app, 'Data', { env: dataEnv, crossRegionReferences: true });
    return { data, target: new AccessLogBucket(logs, 'Central', { bucketName: 'central-logs-bucket' }) };
  };

  test('a target in another Region is refused, naming both Regions and the fix', () => {
    const { data, target } = pair(env('us-east-1'), env('eu-west-1'));
    const error = errorOf(() => new EncryptedBucket(data, 'B', { serverAccessLogsBucket: target }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/^serverAccessLogsBucket Logs\/Central is in Region us-east-1, but bucket Data\/B is in eu-west-1: S3 delivers server access logs only to a bucket in the source bucket's Region/);
    expect(error.message).toMatch(/pass an AccessLogBucket of a stack in eu-west-1\./);
  });

  test('a target of another account is refused, naming both accounts and the fix', () => {
    const { data, target } = pair(env('eu-west-1', OTHER_ACCOUNT), env('eu-west-1'));
    const error = errorOf(() => new EncryptedBucket(data, 'B', { serverAccessLogsBucket: target }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/^serverAccessLogsBucket Logs\/Central belongs to account 222222222222, but bucket Data\/B to 111111111111: .*owned by the source bucket's account/);
  });

  test('an imported bucket that states another Region or account is refused', () => {
    const stack = newStack(newApp());
    const inRegion = s3.Bucket.fromBucketAttributes(stack, 'UsLogs', { bucketName: 'us-logs-bucket', region: 'us-east-1' });
    const ofAccount = s3.Bucket.fromBucketAttributes(stack, 'TheirLogs', { bucketName: 'their-logs-bucket', account: OTHER_ACCOUNT });
    expect(() => new EncryptedBucket(stack, 'A', { serverAccessLogsBucket: inRegion })).toThrow(/serverAccessLogsBucket Stack\/UsLogs is in Region us-east-1, but bucket Stack\/A is in eu-west-1/);
    expect(() => new EncryptedBucket(stack, 'B', { serverAccessLogsBucket: ofAccount })).toThrow(/serverAccessLogsBucket Stack\/TheirLogs belongs to account 222222222222/);
  });

  test('same Region and account in another stack, environment-agnostic stacks, and imports in this environment are accepted', () => {
    const same = pair(env('eu-west-1'), env('eu-west-1'));
    new EncryptedBucket(same.data, 'B', { serverAccessLogsBucket: same.target });
    for (const [logsEnv, dataEnv] of [[undefined, undefined], [env('us-east-1'), undefined], [undefined, env('eu-west-1', OTHER_ACCOUNT)]]) {
      const unknown = pair(logsEnv, dataEnv);
      expect(() => new EncryptedBucket(unknown.data, 'B', { serverAccessLogsBucket: unknown.target })).not.toThrow();
    }
    const stack = newStack(newApp());
    const imported = s3.Bucket.fromBucketName(stack, 'Logs', 'existing-logs-bucket');
    new EncryptedBucket(stack, 'B', { serverAccessLogsBucket: imported });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: 'existing-logs-bucket' } });
  });
});

describe('EncryptedBucket with an alias as encryptionKey', () => {
  type Statement = { Sid?: string; Condition?: { StringNotEquals?: Record<string, unknown> } };
  const denyOtherKey = (stack: Stack) => {
    const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy');
    const statements: Statement[] = Object.values(policies).flatMap(p => p.Properties.PolicyDocument.Statement as Statement[]);
    return statements.find(st => st.Sid === 'DenyOtherKmsKey')?.Condition?.StringNotEquals?.['s3:x-amz-server-side-encryption-aws-kms-key-id'];
  };

  test.each([
    ['CmkWithPolicy.addAlias', (_stack: Stack, key: kms.Key) => key.addAlias('alias/orders')],
    ['a kms.Alias of the key', (stack: Stack, key: kms.Key) => new kms.Alias(stack, 'Orders', { aliasName: 'alias/orders', targetKey: key })],
  ])('%s: uploads may name the alias\'s target key by key ARN or key ID, not the alias', (_label, aliasOf) => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'K');
    new EncryptedBucket(stack, 'B', { encryptionKey: aliasOf(stack, key), serverAccessLogs: false });
    const keyId = stack.getLogicalId(key.node.defaultChild as CfnElement);
    expect(denyOtherKey(stack)).toEqual([{ 'Fn::GetAtt': [keyId, 'Arn'] }, { Ref: keyId }]);
  });

  test('an alias imported by name (no known target key) keeps the alias forms as the allowed ones', () => {
    const stack = newStack(newApp());
    new EncryptedBucket(stack, 'B', { encryptionKey: kms.Alias.fromAliasName(stack, 'Imported', 'alias/orders'), serverAccessLogs: false });
    expect(JSON.stringify(denyOtherKey(stack))).toContain('alias/orders');
  });
});

describe('EncryptedRdsInstance: two databases in two stacks share one VPC', () => {
  test('the second stack depends on the stack with the Secrets Manager endpoint, never the other way round', () => {
    const app = newApp();
    const vpc = isolatedVpc(newStack(app, 'Net'));
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
    const orders = newStack(app, 'Orders');
    const billing = newStack(app, 'Billing');
    new EncryptedRdsInstance(orders, 'Db', { engine, vpc, vpcSubnets: ISOLATED });
    new EncryptedRdsInstance(billing, 'Db', { engine, vpc, vpcSubnets: ISOLATED });
    const assembly = app.synth();
    const dependencies = (name: string) => assembly.getStackByName(name).dependencies.map(d => d.id);
    // One endpoint (EC2 takes one with private DNS per VPC), in the first database's stack, which deploys first.
    Template.fromStack(orders).resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    Template.fromStack(billing).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(dependencies('Orders')).not.toContain('Billing');
    expect(dependencies('Billing')).toContain('Orders');
    // The second rotation function's way in is written in its own stack.
    Template.fromStack(billing).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 443, ToPort: 443, GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('SecretsManagerEndpoint') },
    });
  });
});
