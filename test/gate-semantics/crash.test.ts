import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { crashes, envStack, runAll, verdict } from './harness';

/** Class 1 of issue 13: overrides whose value is a token of another resource, Lazy undefined, loops. */

const TLS_POSTGRES = { family: 'postgres16', description: 'TLS', parameters: { 'rds.force_ssl': '1' } };

describe('crash: token overrides of another resource\'s attribute', () => {
  // One app with every shape; each assertion names its resource.
  const results = runAll(app => {
    const stack = envStack(app);
    // Secret KmsKeyId overridden with a key of the app.
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const secret = new secretsmanager.Secret(stack, 'Secret');
    (secret.node.defaultChild as CfnResource).addPropertyOverride('KmsKeyId', key.keyArn);
    // A DB instance whose parameter group is overridden with the ref of a TLS-forcing group.
    const tls = new rds.CfnDBParameterGroup(stack, 'TlsGroup', TLS_POSTGRES);
    const db = new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', engineVersion: '14.12', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true });
    db.addPropertyOverride('DBParameterGroupName', tls.ref);
    // A replica whose source is overridden with the encrypted db's ref.
    const replica = new rds.CfnDBInstance(stack, 'Replica', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: 'placeholder' });
    replica.addPropertyOverride('SourceDBInstanceIdentifier', db.ref);
    // An Auto Scaling group whose launch template id is overridden with an encrypted template's ref.
    const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', {
      launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeSize: 8 } }] },
    });
    const asg = new autoscaling.CfnAutoScalingGroup(stack, 'Asg', {
      maxSize: '1',
      minSize: '0',
      availabilityZones: ['eu-west-1a'],
      launchTemplate: { launchTemplateId: 'lt-placeholder', version: '1' },
    });
    asg.addPropertyOverride('LaunchTemplate.LaunchTemplateId', lt.ref);
    asg.addPropertyOverride('LaunchTemplate.Version', lt.attrLatestVersionNumber);
    // An HTTPS listener whose certificate is overridden with an ACM certificate's ref.
    const cert = new acm.CfnCertificate(stack, 'Cert', { domainName: 'example.com', validationMethod: 'DNS' });
    const listener = new elbv2.CfnListener(stack, 'Listener', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/x/1',
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificates: [{ certificateArn: 'arn:aws:iam::111111111111:server-certificate/x' }],
      defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }],
    });
    listener.addPropertyOverride('Certificates', [{ CertificateArn: cert.ref }]);
  });

  test('no front end throws', () => {
    expect(crashes(results)).toEqual([]);
  });
  test('secret KmsKeyId overridden with key.keyArn: CEG-SM-1 passes', () => {
    expect(verdict(results, 'CEG-SM-1', 'Stack/Secret/Resource')).toBe('pass');
  });
  test('DBParameterGroupName overridden with a TLS group\'s ref: CEG-RDS-3 passes', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Db')).toBe('pass');
  });
  test('replica source overridden with an encrypted db\'s ref: CEG-RDS-2 passes', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/Replica')).toBe('pass');
  });
  test('launch template id overridden with an encrypted template\'s ref: CEG-EBS-4 passes', () => {
    expect(verdict(results, 'CEG-EBS-4', 'Stack/Asg')).toBe('pass');
  });
  test('listener certificate overridden with an ACM certificate\'s ref: CEG-ELB-3 and CEG-ELB-2 pass', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Stack/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-2', 'Stack/Listener')).toBe('pass');
  });
});

describe('crash: the same overrides pointing at bad resources give findings, not passes', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const plainDb = new rds.CfnDBInstance(stack, 'PlainDb', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', storageEncrypted: false });
    const replica = new rds.CfnDBInstance(stack, 'Replica', { dbInstanceClass: 'db.t4g.micro', storageEncrypted: true });
    replica.addPropertyOverride('SourceDBInstanceIdentifier', plainDb.ref);
    const bareLt = new ec2.CfnLaunchTemplate(stack, 'BareLt', { launchTemplateData: { instanceType: 't3.micro' } });
    const asg = new autoscaling.CfnAutoScalingGroup(stack, 'Asg', { maxSize: '1', minSize: '0', availabilityZones: ['eu-west-1a'] });
    asg.addPropertyOverride('LaunchTemplate', { LaunchTemplateId: bareLt.ref, Version: bareLt.attrLatestVersionNumber });
    const openGroup = new rds.CfnDBParameterGroup(stack, 'OpenGroup', { family: 'mysql8.0', description: 'x', parameters: { require_secure_transport: 'OFF' } });
    const db = new rds.CfnDBInstance(stack, 'Db', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true });
    db.addPropertyOverride('DBParameterGroupName', openGroup.ref);
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('replica (declaring StorageEncrypted) of an unencrypted source: the source decides, non-compliant', () => {
    // RDS: a read replica takes its source's encryption; StorageEncrypted on the replica is ignored.
    expect(verdict(results, 'CEG-RDS-2', 'Stack/Replica')).toBe('non-compliant');
  });
  test('group launched from a template without root mapping: non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-4', 'Stack/Asg')).toBe('non-compliant');
  });
  test('parameter group with require_secure_transport OFF: non-compliant', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Db')).toBe('non-compliant');
  });
});

describe('crash: Lazy.any(() => undefined) overrides', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
    // CDK resolves the override to undefined, and deepMerge then deletes BucketEncryption.
    (bucket.node.defaultChild as CfnResource).addPropertyOverride('BucketEncryption', Lazy.any({ produce: () => undefined }));
    const volume = new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true });
    volume.addPropertyOverride('Encrypted', Lazy.any({ produce: () => undefined }));
    const kept = new ec2.CfnVolume(stack, 'Kept', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true });
    kept.addPropertyOverride('Tags', Lazy.any({ produce: () => undefined }));
    const key = new kms.CfnKey(stack, 'Key', { enableKeyRotation: true });
    key.addOverride('Properties', Lazy.any({ produce: () => undefined }));
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('BucketEncryption removed by a Lazy undefined: CEG-S3-1 non-compliant', () => {
    expect(verdict(results, 'CEG-S3-1', 'Stack/Bucket/Resource')).toBe('non-compliant');
  });
  test('Encrypted removed by a Lazy undefined: CEG-EBS-1 non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Volume')).toBe('non-compliant');
  });
  test('an unrelated property removed: CEG-EBS-1 still passes', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Kept')).toBe('pass');
  });
  test('Properties removed by a Lazy undefined: the key has no rotation, CEG-KMS-1 non-compliant', () => {
    expect(verdict(results, 'CEG-KMS-1', 'Stack/Key')).toBe('non-compliant');
  });
});

describe('crash: resources that refer to each other in a loop', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const a = new rds.CfnDBInstance(stack, 'A', { dbInstanceClass: 'db.t4g.micro' });
    const b = new rds.CfnDBInstance(stack, 'B', { dbInstanceClass: 'db.t4g.micro' });
    a.addPropertyOverride('SourceDBInstanceIdentifier', b.ref);
    b.addPropertyOverride('SourceDBInstanceIdentifier', a.ref);
    // A cluster that is its own clone source (through an override).
    const c = new rds.CfnDBCluster(stack, 'C', { engine: 'aurora-postgresql' });
    c.addPropertyOverride('SourceDBClusterIdentifier', c.ref);
    // Parameter-group loop through replicas without groups.
    const d = new rds.CfnDBInstance(stack, 'D', { dbInstanceClass: 'db.t4g.micro', engine: 'postgres' });
    d.addPropertyOverride('SourceDBInstanceIdentifier', d.ref);
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('the loop ends in an unresolvable finding, never a pass', () => {
    for (const path of ['Stack/A', 'Stack/B', 'Stack/D']) {
      expect(verdict(results, 'CEG-RDS-2', path)).toBe('unresolvable');
    }
    expect(verdict(results, 'CEG-RDS-1', 'Stack/C')).toBe('unresolvable');
  });
  test('a replica loop is unresolvable for the engine TLS rule too (its engine is its source\'s)', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/A')).toBe('unresolvable');
  });
});

// Keep Stack imported for type use in other files of the folder.
export type { Stack };
