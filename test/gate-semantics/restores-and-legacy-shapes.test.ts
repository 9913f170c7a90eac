import { CfnParameter } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { crashes, envStack, runAll, verdict } from './harness';
import { EncryptedSnapshotCopy, SnapshotSource } from '../../src';

/**
 * Restores and clones, whose encryption and engine come from their source, and resource shapes
 * the rules used to miss (fifth red-team pass: defects 1, 5, 6 and 8), through the three front ends.
 */

const SNAPSHOT = 'arn:aws:rds:eu-west-1:111111111111:snapshot:orders-final';
const CLUSTER_SNAPSHOT = 'arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:reports-final';
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CLASS = 'db.t4g.micro';

function isolated(scope: Construct): { vpc: ec2.Vpc; vpcSubnets: ec2.SubnetSelection } {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    natGateways: 0,
    maxAzs: 2,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
}

describe('restored DB instances take their encryption from the source, whatever StorageEncrypted says (CEG-RDS-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const network = isolated(stack);
    const encrypted = new rds.CfnDBInstance(stack, 'Encrypted', { engine: 'postgres', dbInstanceClass: CLASS, storageEncrypted: true });
    const plain = new rds.CfnDBInstance(stack, 'Plain', { engine: 'postgres', dbInstanceClass: CLASS, storageEncrypted: false });
    // From a snapshot: "If you specify DBSnapshotIdentifier property, don't specify this property. The value is inherited from the snapshot."
    new rds.CfnDBInstance(stack, 'FromSnapshot', { engine: 'postgres', dbInstanceClass: CLASS, dbSnapshotIdentifier: SNAPSHOT, storageEncrypted: true });
    // KmsKeyId is inherited from the snapshot too; CloudFormation does not send it with RestoreDBInstanceFromDBSnapshot.
    new rds.CfnDBInstance(stack, 'FromSnapshotKeyed', { engine: 'postgres', dbInstanceClass: CLASS, dbSnapshotIdentifier: SNAPSHOT, storageEncrypted: true, kmsKeyId: KEY });
    new rds.CfnDBInstance(stack, 'FromClusterSnapshot', { engine: 'postgres', dbInstanceClass: CLASS, dbClusterSnapshotIdentifier: CLUSTER_SNAPSHOT, storageEncrypted: true });
    // Point in time, by resource ID or from automated backups: inherited from the source.
    new rds.CfnDBInstance(stack, 'PitrOfPlain', { engine: 'postgres', dbInstanceClass: CLASS, sourceDbiResourceId: plain.attrDbiResourceId, useLatestRestorableTime: true, storageEncrypted: true });
    new rds.CfnDBInstance(stack, 'PitrOfEncrypted', { engine: 'postgres', dbInstanceClass: CLASS, sourceDbiResourceId: encrypted.attrDbiResourceId, useLatestRestorableTime: true });
    new rds.CfnDBInstance(stack, 'PitrOfOutsider', { engine: 'postgres', dbInstanceClass: CLASS, sourceDbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY', useLatestRestorableTime: true, storageEncrypted: true });
    new rds.CfnDBInstance(stack, 'PitrFromBackups', {
      engine: 'postgres', dbInstanceClass: CLASS, sourceDbInstanceAutomatedBackupsArn: 'arn:aws:rds:eu-west-1:111111111111:auto-backup:ab-xyz', useLatestRestorableTime: true, storageEncrypted: true,
    });
    new rds.CfnDBInstance(stack, 'PitrByName', { engine: 'postgres', dbInstanceClass: CLASS, sourceDbInstanceIdentifier: plain.ref, useLatestRestorableTime: true, storageEncrypted: true });
    // L2: DatabaseInstanceFromSnapshot renders neither StorageEncrypted nor KmsKeyId.
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 });
    new rds.DatabaseInstanceFromSnapshot(stack, 'L2FromSnapshot', { snapshotIdentifier: SNAPSHOT, engine, ...network });
    // An EncryptedSnapshotCopy exists only once encrypted: what is restored from it is encrypted.
    const copy = new EncryptedSnapshotCopy(stack, 'Copy', { source: SnapshotSource.rdsDbSnapshot('orders-final') });
    new rds.DatabaseInstanceFromSnapshot(stack, 'L2FromCopy', { snapshotIdentifier: copy.snapshotIdentifier, engine, ...network });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a snapshot restore declaring StorageEncrypted: true (and KmsKeyId) is unresolvable: the snapshot decides', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/FromSnapshot')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/FromSnapshotKeyed')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/FromClusterSnapshot')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/L2FromSnapshot/Resource')).toBe('unresolvable');
  });
  test('a restore from an EncryptedSnapshotCopy passes', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/L2FromCopy/Resource')).toBe('pass');
  });
  test('a point-in-time restore follows its source: of the unencrypted instance non-compliant, of the encrypted one a pass', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/PitrOfPlain')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/PitrByName')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/PitrOfEncrypted')).toBe('pass');
  });
  test('a point-in-time restore of a source outside the app, or from automated backups, is unresolvable', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/PitrOfOutsider')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/PitrFromBackups')).toBe('unresolvable');
  });
});

describe('restored and cloned DB clusters take their source\'s encryption unless given a KmsKeyId (CEG-RDS-1)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const network = isolated(stack);
    const encrypted = new rds.CfnDBCluster(stack, 'Encrypted', { engine: 'aurora-postgresql', storageEncrypted: true });
    const plain = new rds.CfnDBCluster(stack, 'Plain', { engine: 'aurora-postgresql', storageEncrypted: false });
    new rds.CfnDBCluster(stack, 'FromSnapshot', { engine: 'aurora-postgresql', snapshotIdentifier: CLUSTER_SNAPSHOT, storageEncrypted: true });
    new rds.CfnDBCluster(stack, 'FromSnapshotKeyed', { engine: 'aurora-postgresql', snapshotIdentifier: CLUSTER_SNAPSHOT, storageEncrypted: true, kmsKeyId: KEY });
    new rds.CfnDBCluster(stack, 'CloneOfPlain', { engine: 'aurora-postgresql', sourceDbClusterIdentifier: plain.ref, restoreType: 'copy-on-write', useLatestRestorableTime: true, storageEncrypted: true });
    // The other way round: StorageEncrypted false does not decide either, the encrypted source does.
    new rds.CfnDBCluster(stack, 'CloneOfEncrypted', { engine: 'aurora-postgresql', sourceDbClusterIdentifier: encrypted.ref, restoreType: 'copy-on-write', useLatestRestorableTime: true, storageEncrypted: false });
    new rds.CfnDBCluster(stack, 'PitrOfPlain', { engine: 'aurora-postgresql', sourceDbClusterResourceId: plain.attrDbClusterResourceId, useLatestRestorableTime: true, storageEncrypted: true });
    new rds.CfnDBCluster(stack, 'PitrOfOutsider', { engine: 'aurora-postgresql', sourceDbClusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ', useLatestRestorableTime: true, storageEncrypted: true });
    // L2: DatabaseClusterFromSnapshot renders SnapshotIdentifier and StorageEncrypted, and KmsKeyId only with a key.
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
    new rds.DatabaseClusterFromSnapshot(stack, 'L2FromSnapshot', {
      engine, snapshotIdentifier: CLUSTER_SNAPSHOT, storageEncrypted: true, writer: rds.ClusterInstance.serverlessV2('Writer'), ...network,
    });
    new rds.DatabaseClusterFromSnapshot(stack, 'L2FromSnapshotKeyed', {
      engine,
      snapshotIdentifier: CLUSTER_SNAPSHOT,
      storageEncrypted: true,
      storageEncryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      ...network,
    });
    const copy = new EncryptedSnapshotCopy(stack, 'Copy', { source: SnapshotSource.auroraClusterSnapshot('reports-final') });
    new rds.DatabaseClusterFromSnapshot(stack, 'L2FromCopy', { engine, snapshotIdentifier: copy.snapshotIdentifier, writer: rds.ClusterInstance.serverlessV2('Writer'), ...network });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a snapshot restore with StorageEncrypted: true and no KmsKeyId is unresolvable (L1 and L2), and so are its members', () => {
    expect(verdict(results, 'CEG-RDS-1', 'Stack/FromSnapshot')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-1', 'Stack/L2FromSnapshot/Resource')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/L2FromSnapshot/Writer/Resource')).toBe('unresolvable');
  });
  test('with a KmsKeyId (storageEncryptionKey) or from an EncryptedSnapshotCopy it passes', () => {
    expect(verdict(results, 'CEG-RDS-1', 'Stack/FromSnapshotKeyed')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-1', 'Stack/L2FromSnapshotKeyed/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-1', 'Stack/L2FromCopy/Resource')).toBe('pass');
  });
  test('a clone or point-in-time restore follows its source in the app, whatever StorageEncrypted says', () => {
    expect(verdict(results, 'CEG-RDS-1', 'Stack/CloneOfPlain')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-1', 'Stack/PitrOfPlain')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-1', 'Stack/CloneOfEncrypted')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-1', 'Stack/PitrOfOutsider')).toBe('unresolvable');
  });
});

describe('a restore without Engine runs its source\'s engine (CEG-RDS-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const tls = new rds.CfnDBParameterGroup(stack, 'Tls', { family: 'mysql8.0', description: 'TLS only', parameters: { require_secure_transport: 'ON' } });
    const mysql = new rds.CfnDBInstance(stack, 'MySql', { engine: 'mysql', engineVersion: '8.0.39', dbInstanceClass: CLASS, storageEncrypted: true, dbParameterGroupName: tls.ref });
    const postgres = new rds.CfnDBInstance(stack, 'Postgres', { engine: 'postgres', engineVersion: '16.4', dbInstanceClass: CLASS, storageEncrypted: true });
    new rds.CfnDBInstance(stack, 'FromSnapshot', { dbInstanceClass: CLASS, dbSnapshotIdentifier: SNAPSHOT });
    new rds.CfnDBInstance(stack, 'FromClusterSnapshot', { dbInstanceClass: CLASS, dbClusterSnapshotIdentifier: CLUSTER_SNAPSHOT });
    new rds.CfnDBInstance(stack, 'FromBackups', { dbInstanceClass: CLASS, sourceDbInstanceAutomatedBackupsArn: 'arn:aws:rds:eu-west-1:111111111111:auto-backup:ab-xyz', useLatestRestorableTime: true });
    new rds.CfnDBInstance(stack, 'PitrOfOutsider', { dbInstanceClass: CLASS, sourceDbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY', useLatestRestorableTime: true });
    // Sources in the app tell the engine; a point-in-time restore without a group gets the engine's default one.
    new rds.CfnDBInstance(stack, 'PitrOfMySql', { dbInstanceClass: CLASS, sourceDbiResourceId: mysql.attrDbiResourceId, useLatestRestorableTime: true });
    new rds.CfnDBInstance(stack, 'PitrOfMySqlByName', { dbInstanceClass: CLASS, sourceDbInstanceIdentifier: mysql.ref, useLatestRestorableTime: true });
    new rds.CfnDBInstance(stack, 'ReplicaOfMySql', { dbInstanceClass: CLASS, sourceDbInstanceIdentifier: mysql.ref });
    new rds.CfnDBInstance(stack, 'PitrOfPostgres', { dbInstanceClass: CLASS, sourceDbiResourceId: postgres.attrDbiResourceId, useLatestRestorableTime: true });
    // Clusters: a clone without Engine runs its source's.
    const aurora = new rds.CfnDBCluster(stack, 'AuroraMySql', { engine: 'aurora-mysql', storageEncrypted: true });
    new rds.CfnDBCluster(stack, 'CloneOfAuroraMySql', { sourceDbClusterIdentifier: aurora.ref, restoreType: 'copy-on-write', useLatestRestorableTime: true });
    new rds.CfnDBCluster(stack, 'PitrOfOutsiderCluster', { sourceDbClusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ', useLatestRestorableTime: true });
    // L2: DatabaseInstanceFromSnapshot always renders Engine, so the default group is judged.
    const { vpc, vpcSubnets } = isolated(stack);
    new rds.DatabaseInstanceFromSnapshot(stack, 'L2FromSnapshot', {
      snapshotIdentifier: SNAPSHOT, engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 }), vpc, vpcSubnets,
    });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('from a snapshot, a cluster snapshot, backups or a source outside the app: unresolvable', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/FromSnapshot')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/FromClusterSnapshot')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/FromBackups')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/PitrOfOutsider')).toBe('unresolvable');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/PitrOfOutsiderCluster')).toBe('unresolvable');
  });
  test('a point-in-time restore of a MySQL source without its own group uses the default group: non-compliant', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/PitrOfMySql')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/PitrOfMySqlByName')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/CloneOfAuroraMySql')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/L2FromSnapshot/Resource')).toBe('non-compliant');
  });
  test('a same-Region read replica still uses its source\'s group; PostgreSQL 16 forces TLS by default', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/ReplicaOfMySql')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/PitrOfPostgres')).toBe('pass');
  });
});

describe('the legacy DistributionConfig.CustomOrigin is judged like a custom origin (CEG-CF-4)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const viewerCertificate = { acmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' };
    const defaultCacheBehavior = { targetOriginId: 'origin', viewerProtocolPolicy: 'https-only', forwardedValues: { queryString: false } };
    const legacy = (id: string, customOrigin: cloudfront.CfnDistribution.LegacyCustomOriginProperty) =>
      new cloudfront.CfnDistribution(stack, id, { distributionConfig: { enabled: true, cnamEs: ['www.example.com'], customOrigin, defaultCacheBehavior, viewerCertificate } });
    legacy('HttpOnly', { dnsName: 'origin.example.com', originProtocolPolicy: 'http-only', originSslProtocols: ['TLSv1.2'] });
    legacy('MatchViewer', { dnsName: 'origin.example.com', originProtocolPolicy: 'match-viewer', originSslProtocols: ['TLSv1.2'] });
    legacy('OldTls', { dnsName: 'origin.example.com', originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2', 'TLSv1'] });
    legacy('Modern', { dnsName: 'origin.example.com', originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] });
    const policy = new CfnParameter(stack, 'Policy');
    legacy('FromParameter', { dnsName: 'origin.example.com', originProtocolPolicy: policy.valueAsString, originSslProtocols: ['TLSv1.2'] });
    new cloudfront.CfnDistribution(stack, 'LegacyS3', { distributionConfig: { enabled: true, s3Origin: { dnsName: 'bucket.s3.amazonaws.com' }, defaultCacheBehavior, viewerCertificate } });
    // The same origin through the current L2 (it renders Origins[].CustomOriginConfig).
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', viewerCertificate.acmCertificateArn);
    new cloudfront.Distribution(stack, 'L2HttpOnly', {
      defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com', { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY },
      domainNames: ['www.example.com'],
      certificate,
    });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('http-only, match-viewer and TLSv1 in the legacy CustomOrigin are non-compliant, like the L2 HttpOrigin with HTTP_ONLY', () => {
    expect(verdict(results, 'CEG-CF-4', 'Stack/HttpOnly')).toBe('non-compliant');
    expect(verdict(results, 'CEG-CF-4', 'Stack/MatchViewer')).toBe('non-compliant');
    expect(verdict(results, 'CEG-CF-4', 'Stack/OldTls')).toBe('non-compliant');
    expect(verdict(results, 'CEG-CF-4', 'Stack/L2HttpOnly/Resource')).toBe('non-compliant');
  });
  test('https-only with TLSv1.2 passes; a policy from a parameter is unresolvable; a legacy S3Origin is not a custom origin', () => {
    expect(verdict(results, 'CEG-CF-4', 'Stack/Modern')).toBe('pass');
    expect(verdict(results, 'CEG-CF-4', 'Stack/FromParameter')).toBe('unresolvable');
    expect(verdict(results, 'CEG-CF-4', 'Stack/LegacyS3')).toBe('pass');
  });
  test('the viewer side of the legacy shape (certificate, behaviours) is judged as before', () => {
    for (const rule of ['CEG-CF-1', 'CEG-CF-2', 'CEG-CF-3']) {
      expect(verdict(results, rule, 'Stack/Modern')).toBe('pass');
    }
  });
});

describe('private REST custom domain names, AWS::ApiGateway::DomainNameV2 (CEG-APIGW-1)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const certificateArn = 'arn:aws:acm:eu-west-1:111111111111:certificate/abc';
    const privateDomain = (id: string, securityPolicy?: string) => new apigw.CfnDomainNameV2(stack, id, {
      domainName: `${id.toLowerCase()}.internal.example.com`, certificateArn, securityPolicy, endpointConfiguration: { types: ['PRIVATE'] },
    });
    privateDomain('Tls10', 'TLS_1_0');
    privateDomain('Tls12', 'TLS_1_2');
    privateDomain('NoPolicy');
    privateDomain('FromParameter', new CfnParameter(stack, 'Policy').valueAsString);
    // aws-cdk-lib has no L2 for DomainNameV2: the public REST domain name's L2 is judged the same way.
    new apigw.DomainName(stack, 'L2Tls10', {
      domainName: 'api.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn), securityPolicy: apigw.SecurityPolicy.TLS_1_0,
    });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('TLS_1_0 and no SecurityPolicy are non-compliant, as on the public domain name', () => {
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/Tls10')).toBe('non-compliant');
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/NoPolicy')).toBe('non-compliant');
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/L2Tls10/Resource')).toBe('non-compliant');
  });
  test('TLS_1_2 passes; a policy from a parameter is unresolvable', () => {
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/Tls12')).toBe('pass');
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/FromParameter')).toBe('unresolvable');
  });
});
