/**
 * RDS rules: compliant, non-compliant and unresolvable cases beyond the catalogue's fixtures.
 */
import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EncryptionGate, FindingKind } from '../../src';
import { findingsAfterSynth, isolatedVpc, newApp, newStack, verdictOn } from '../support/app';

const T3 = new ec2.InstanceType('t3.micro');


describe('CEG-RDS-1 and CEG-RDS-2 databases', () => {
  const postgres = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
  const aurora = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
  const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  test('instances: encrypted passes, default and false do not; parameter and snapshot restore are unresolvable', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    new rds.DatabaseInstance(stack, 'Encrypted', { engine: postgres, vpc, vpcSubnets: isolated, storageEncrypted: true });
    new rds.DatabaseInstance(stack, 'Default', { engine: postgres, vpc, vpcSubnets: isolated });
    const flag = new CfnParameter(stack, 'Encrypt');
    new rds.CfnDBInstance(stack, 'FromParameter', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', storageEncrypted: flag.valueAsString as unknown as boolean });
    new rds.CfnDBInstance(stack, 'Restored', { dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'arn:aws:rds:eu-west-1:111111111111:snapshot:old' });
    new rds.CfnDBInstance(stack, 'RestoredEncrypted', { dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'old', storageEncrypted: true });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Encrypted/Resource', 'CEG-RDS-2')).toBeUndefined();
    // A restore takes the snapshot's encryption: RDS ignores StorageEncrypted there (CloudFormation docs of StorageEncrypted).
    expect(verdictOn(findings, 'Stack/RestoredEncrypted', 'CEG-RDS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Default/Resource', 'CEG-RDS-2')!.detail).toBe('The DB instance\'s storage is not encrypted: StorageEncrypted is not set');
    expect(verdictOn(findings, 'Stack/FromParameter', 'CEG-RDS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Restored', 'CEG-RDS-2')!.detail).toMatch(/restored from DBSnapshotIdentifier without StorageEncrypted/);
  });

  test('Aurora members are judged through their cluster (cdk-nag passes every Aurora instance)', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    new rds.DatabaseCluster(stack, 'Plain', { engine: aurora, vpc, vpcSubnets: isolated, writer: rds.ClusterInstance.provisioned('Writer') });
    new rds.DatabaseCluster(stack, 'Secure', { engine: aurora, vpc, vpcSubnets: isolated, storageEncrypted: true, writer: rds.ClusterInstance.provisioned('Writer') });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-RDS-1')!.detail).toBe('The cluster\'s storage is not encrypted: StorageEncrypted is not set');
    expect(verdictOn(findings, 'Stack/Plain/Writer/Resource', 'CEG-RDS-2')!.detail)
      .toMatch(/member of DB cluster Plain\/Resource, whose storage encryption it takes, and that is not encrypted/);
    expect(verdictOn(findings, 'Stack/Secure/Resource', 'CEG-RDS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Secure/Writer/Resource', 'CEG-RDS-2')).toBeUndefined();
  });

  test('a member of a cluster outside the app, a serverless v1 cluster and a restored cluster', () => {
    const stack = newStack(newApp());
    new rds.CfnDBInstance(stack, 'Member', { engine: 'aurora-mysql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'shared-cluster' });
    new rds.CfnDBCluster(stack, 'Serverless', { engine: 'aurora-mysql', engineMode: 'serverless' });
    new rds.CfnDBCluster(stack, 'Restored', { engine: 'aurora-mysql', snapshotIdentifier: 'old-snapshot' });
    const source = new rds.CfnDBCluster(stack, 'Source', { engine: 'aurora-mysql', storageEncrypted: true });
    new rds.CfnDBCluster(stack, 'Clone', { engine: 'aurora-mysql', sourceDbClusterIdentifier: source.ref, restoreType: 'copy-on-write' });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Member', 'CEG-RDS-2')!.detail).toMatch(/"shared-cluster" names a DB cluster that this app does not define/);
    expect(verdictOn(findings, 'Stack/Serverless', 'CEG-RDS-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Restored', 'CEG-RDS-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Clone', 'CEG-RDS-1')).toBeUndefined();
  });

  test('same-Region read replicas inherit their source\'s encryption (cdk-nag judges the replica\'s own property)', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const encrypted = new rds.DatabaseInstance(stack, 'Encrypted', { engine: postgres, vpc, vpcSubnets: isolated, storageEncrypted: true });
    const plain = new rds.DatabaseInstance(stack, 'Plain', { engine: postgres, vpc, vpcSubnets: isolated });
    new rds.DatabaseInstanceReadReplica(stack, 'GoodReplica', { sourceDatabaseInstance: encrypted, instanceType: T3, vpc, vpcSubnets: isolated });
    new rds.DatabaseInstanceReadReplica(stack, 'BadReplica', { sourceDatabaseInstance: plain, instanceType: T3, vpc, vpcSubnets: isolated, storageEncrypted: true });
    const findings = findingsAfterSynth(stack);
    expect(verdictOn(findings, 'Stack/GoodReplica/Resource', 'CEG-RDS-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/BadReplica/Resource', 'CEG-RDS-2')!.detail).toMatch(/read replica of Plain\/Resource, whose encryption it inherits, and that is not encrypted/);
  });

  test('a cross-Region replica of an encrypted source needs a KmsKeyId in its Region', () => {
    const app = newApp();
    const primary = newStack(app, 'Primary', 'eu-west-1');
    new rds.CfnDBInstance(primary, 'Source', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', dbInstanceIdentifier: 'orders', storageEncrypted: true });
    const dr = newStack(app, 'Dr', 'us-east-1');
    const sourceArn = `arn:aws:rds:eu-west-1:${primary.account}:db:orders`;
    new rds.CfnDBInstance(dr, 'WithoutKey', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: sourceArn });
    new rds.CfnDBInstance(dr, 'WithKey', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: sourceArn, kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1' });
    new rds.CfnDBInstance(dr, 'UnknownSource', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: 'arn:aws:rds:eu-west-1:222222222222:db:elsewhere' });
    const findings = findingsAfterSynth(app);
    expect(verdictOn(findings, 'Dr/WithKey', 'CEG-RDS-2')).toBeUndefined();
    const withoutKey = verdictOn(findings, 'Dr/WithoutKey', 'CEG-RDS-2')!;
    expect(withoutKey).toMatchObject({ kind: FindingKind.NON_COMPLIANT, location: 'Properties.KmsKeyId' });
    expect(withoutKey.detail).toMatch(/cross-Region read replica of the encrypted Source and sets no KmsKeyId/);
    expect(verdictOn(findings, 'Dr/UnknownSource', 'CEG-RDS-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });

  test('a cross-stack Aurora member is judged through the cluster in the other stack', () => {
    const app = newApp();
    const data = newStack(app, 'Data');
    const cluster = new rds.CfnDBCluster(data, 'Cluster', { engine: 'aurora-postgresql' });
    const compute = newStack(app, 'Compute');
    new rds.CfnDBInstance(compute, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    const findings = findingsAfterSynth(app);
    const template = app.synth().getStackByName('Compute').template;
    expect(template.Resources.Member.Properties.DBClusterIdentifier).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Data:ExportsOutputRefCluster/) });
    expect(verdictOn(findings, 'Compute/Member', 'CEG-RDS-2')!.detail).toMatch(/member of DB cluster Cluster/);
  });
});
