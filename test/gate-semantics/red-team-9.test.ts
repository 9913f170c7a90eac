import { App, CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT, envStack, runAll, verdict } from './harness';
import { RuleService } from '../../src';

/** Defects found by the ninth red-team pass (RDS and Aurora relations), each through the three front ends. */

const instance = (stack: Stack, id: string, props: Partial<rds.CfnDBInstanceProps>) =>
  new rds.CfnDBInstance(stack, id, { dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', ...props });

describe('Fn::ImportValue reads an export of its own account and Region only (CEG-RDS-2, CEG-RDS-3)', () => {
  /** A stack in `region` exporting `orders-tls` (a MySQL 8.0 parameter group) and `orders-db` (a DB instance). */
  const shared = (app: App, id: string, region: string, secure: boolean) => {
    const stack = envStack(app, id, region);
    const group = new rds.CfnDBParameterGroup(stack, 'Tls', {
      family: 'mysql8.0', description: 'TLS', parameters: secure ? { require_secure_transport: 'ON' } : {},
    });
    new CfnOutput(stack, 'Group', { value: group.ref, exportName: 'orders-tls' });
    const source = instance(stack, 'Source', { engine: 'mysql', engineVersion: '8.0.39', storageEncrypted: secure, dbParameterGroupName: group.ref });
    new CfnOutput(stack, 'Db', { value: `arn:aws:rds:${region}:${ACCOUNT}:db:${source.ref}`, exportName: 'orders-db' });
  };
  const importer = (app: App, id: string) => {
    const stack = envStack(app, id, 'eu-west-1');
    instance(stack, 'Db', { engine: 'mysql', engineVersion: '8.0.39', storageEncrypted: true, dbParameterGroupName: Fn.importValue('orders-tls') });
    instance(stack, 'Replica', { sourceDbInstanceIdentifier: Fn.importValue('orders-db') });
  };
  const elsewhere = runAll(app => {
    shared(app, 'SharedUs', 'us-east-1', true);
    importer(app, 'Importer');
  }, { services: [RuleService.RDS] });
  const both = runAll(app => {
    shared(app, 'SharedEu', 'eu-west-1', false);
    // Declared last: it was the one an import found, whatever the Region.
    shared(app, 'SharedUs', 'us-east-1', true);
    importer(app, 'Importer');
  }, { services: [RuleService.RDS] });
  test('an export in another Region only: the import reads one outside the app, unresolvable', () => {
    expect(verdict(elsewhere, 'CEG-RDS-3', 'Importer/Db')).toBe('unresolvable');
    expect(verdict(elsewhere, 'CEG-RDS-2', 'Importer/Replica')).toBe('unresolvable');
  });
  test('the same name exported in two Regions: the import reads its own Region\'s', () => {
    expect(verdict(both, 'CEG-RDS-3', 'Importer/Db')).toBe('non-compliant');
    expect(verdict(both, 'CEG-RDS-2', 'Importer/Replica')).toBe('non-compliant');
  });
});

describe('a read replica\'s Region decides its parameter group (CEG-RDS-3)', () => {
  const results = runAll(app => {
    // Stacks without a Region: whether the ARN's us-east-1 is the replica's own cannot be told.
    const agnostic = new Stack(app, 'Agnostic');
    const group = new rds.CfnDBParameterGroup(agnostic, 'Tls', { family: 'postgres14', description: 'TLS', parameters: { 'rds.force_ssl': '1' } });
    const source = instance(agnostic, 'Source', {
      dbInstanceIdentifier: 'orders', engine: 'postgres', engineVersion: '14.12', storageEncrypted: true, dbParameterGroupName: group.ref,
    });
    instance(agnostic, 'Replica', { sourceDbInstanceIdentifier: `arn:aws:rds:us-east-1:${ACCOUNT}:db:${source.ref}`, kmsKeyId: 'alias/rds-replica' });
  }, { services: [RuleService.RDS] });
  test('same or another Region unknown: unresolvable, as CEG-RDS-2 says', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Agnostic/Replica')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Agnostic/Replica')).toBe('unresolvable');
  });
});

describe('a database without EngineVersion (CEG-RDS-3)', () => {
  const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  const results = runAll(app => {
    const primary = envStack(app, 'Primary', 'eu-west-1', { crossRegionReferences: true });
    const source = new rds.DatabaseInstance(primary, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc: new ec2.Vpc(primary, 'Vpc', { natGateways: 0, maxAzs: 2 }),
      vpcSubnets: subnets,
    });
    const secondary = envStack(app, 'Secondary', 'us-east-1', { crossRegionReferences: true });
    // With `domain`, aws-cdk-lib renders Engine on the replica but no EngineVersion: it runs its source's 16.
    new rds.DatabaseInstanceReadReplica(secondary, 'Replica', {
      sourceDatabaseInstance: source,
      instanceType: new ec2.InstanceType('t4g.medium'),
      domain: 'd-1234567890',
      vpc: new ec2.Vpc(secondary, 'Vpc', { natGateways: 0, maxAzs: 2 }),
      vpcSubnets: subnets,
      storageEncryptionKey: new kms.Key(secondary, 'Key', { enableKeyRotation: true }),
    });
    const plain = envStack(app, 'Plain', 'eu-west-2');
    // RDS picks its default version on the day: PostgreSQL 15+, MariaDB 11.8+ and MySQL 9.7+ force TLS, older ones do not.
    instance(plain, 'Postgres', { engine: 'postgres', storageEncrypted: true });
    instance(plain, 'SqlServer', { engine: 'sqlserver-ex', storageEncrypted: true });
  }, { services: [RuleService.RDS] });
  test('a cross-Region replica runs its source\'s version, whose default group forces TLS: pass', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Secondary/Replica/Resource')).toBe('pass');
  });
  test('a new PostgreSQL database without a version: unresolvable; SQL Server, whose default never forces TLS: non-compliant', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Plain/Postgres')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-3', 'Plain/SqlServer')).toBe('non-compliant');
  });
});
