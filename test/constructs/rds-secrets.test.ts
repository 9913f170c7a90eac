import { CfnElement, CfnParameter, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CmkWithPolicy, EncryptedRdsInstance, EncryptionGate, RotatingSecret, RuleService } from '../../src';
import { findingsAfterSynth, isolatedVpc, newApp, newStack, verdictOn } from '../support/app';

const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  Stack.of(construct as unknown as CfnElement).getLogicalId(construct.node.defaultChild as CfnElement);
const POSTGRES = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

function rotationFunction(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Rotator', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

describe('RotatingSecret', () => {
  test('defaults: a customer managed key usable through Secrets Manager, rotation every 30 days and on update, retained', () => {
    const stack = newStack(newApp());
    const secret = new RotatingSecret(stack, 'ApiKey', { rotationLambda: rotationFunction(stack) });
    expect(secret).toBeInstanceOf(secretsmanager.Secret);
    expect(secret.encryptionKey).toBeInstanceOf(CmkWithPolicy);
    const template = Template.fromStack(stack);
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', Properties: { KmsKeyId: { 'Fn::GetAtt': [idOf(secret.encryptionKey as CmkWithPolicy), 'Arn'] } } });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: idOf(secret) },
      RotationLambdaARN: Match.anyValue(),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: true,
    });
    const statements: any[] = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({
      Sid: 'AllowUseThroughSecretsManager',
      Effect: 'Allow',
      Resource: '*',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' } },
    });
    expect(EncryptionGate.evaluate(stack, { services: [RuleService.SECRETS_MANAGER, RuleService.KMS] })).toEqual([]);
  });

  test('hosted rotation in a VPC, an interval of 4 hours or 1,000 days, a given key, other accounts, replica Regions', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const key = new CmkWithPolicy(stack, 'Shared');
    const replicaKey = kms.Key.fromKeyArn(stack, 'UsKey', 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234');
    new RotatingSecret(stack, 'Db', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, vpcSubnets: ISOLATED }),
      rotationInterval: Duration.hours(4),
      encryptionKey: key,
      crossAccountReadIds: ['222222222222'],
      replicaRegions: [{ region: 'us-east-1', encryptionKey: replicaKey }],
    });
    new RotatingSecret(stack, 'Slow', { rotationLambda: rotationFunction(stack), rotationInterval: Duration.days(1000), rotateImmediatelyOnUpdate: false });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({ RotationType: 'PostgreSQLSingleUser', KmsKeyArn: { 'Fn::GetAtt': [idOf(key), 'Arn'] }, VpcSubnetIds: Match.anyValue() }),
      RotationRules: { ScheduleExpression: 'rate(4 hours)' },
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(1000 days)' }, RotateImmediatelyOnUpdate: false });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { ReplicaRegions: [{ Region: 'us-east-1', KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234' }] });
    template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Principal: { AWS: Match.anyValue() } })]) },
    });
    const keyStatements: any[] = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(JSON.stringify(keyStatements)).toContain(':iam::222222222222:root');
  });

  test('refuses no rotation, two rotations, an interval out of range, the AWS managed key, a replica without a key', () => {
    const stack = newStack(newApp());
    const fn = rotationFunction(stack);
    const hosted = secretsmanager.HostedRotation.mysqlSingleUser();
    const cases: Array<[object, RegExp]> = [
      [{}, /give exactly one of rotationLambda or hostedRotation: a secret without rotation is refused/],
      [{ rotationLambda: fn, hostedRotation: hosted }, /rotationLambda and hostedRotation are both set; give exactly one/],
      [{ rotationLambda: fn, rotationInterval: Duration.hours(3) }, /rotationInterval is 3 hours; it must be from 4 hours to 1,000 days/],
      [{ rotationLambda: fn, rotationInterval: Duration.days(1001) }, /must be from 4 hours to 1,000 days/],
      [{ rotationLambda: fn, encryptionKey: kms.Alias.fromAliasName(stack, 'AwsManaged', 'alias/aws/secretsmanager') }, /encryptionKey is the AWS managed key alias\/aws\/secretsmanager/],
      [{ rotationLambda: fn, replicaRegions: [{ region: 'us-east-1' }] }, /replicaRegions\[0\] \(us-east-1\) has no encryptionKey/],
      [{ rotationLambda: fn, crossAccountReadIds: ['abc'] }, /crossAccountReadIds includes "abc"/],
    ];
    cases.forEach(([props, message], i) => expect(() => new RotatingSecret(stack, `Bad${i}`, props as any)).toThrow(message));
  });
});

describe('EncryptedRdsInstance', () => {
  test('a deployed database keeps what it was created with: the user name stays a reference to its secret (pass 42)', () => {
    // MasterUsername requires a replacement: writing it another way (even the same name as itself)
    // would make CloudFormation create a new, empty database for every deployed instance.
    const stack = newStack(newApp());
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc: isolatedVpc(stack) });
    const secretId = stack.getLogicalId(db.credentialsSecret!.node.defaultChild as CfnElement);
    const properties = Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBInstance'))[0].Properties;
    expect(properties.MasterUsername).toEqual({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:username::}}']] });
    expect(properties.Port).toBe('15432');
    const secret = Object.values(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'))[0].Properties;
    expect(secret.GenerateSecretString.SecretStringTemplate).toBe('{"username":"postgres"}');
  });

  test('defaults, statement by statement: encrypted with its key, TLS forced, rotating credentials, private, protected, current CA', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED });
    expect(db).toBeInstanceOf(rds.DatabaseInstance);
    const keyArn = { 'Fn::GetAtt': [idOf(db.encryptionKey as CmkWithPolicy), 'Arn'] };
    const template = Template.fromStack(stack);
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        StorageEncrypted: true,
        KmsKeyId: keyArn,
        PubliclyAccessible: false,
        DeletionProtection: true,
        CACertificateIdentifier: 'rds-ca-rsa2048-g1',
        // Multi-AZ, a non-default port and every log type of the engine exported.
        MultiAZ: true,
        Port: '15432',
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        DBParameterGroupName: { Ref: Match.stringLikeRegexp('^DbParameters') },
        MasterUsername: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        MasterUserPassword: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      }),
    });
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres16', Parameters: { 'rds.force_ssl': '1' } });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: keyArn, GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"postgres"}', GenerateStringKey: 'password' }),
    });
    template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', { TargetType: 'AWS::RDS::DBInstance' });
    // The first rotation needs host and engine in the secret: the schedule waits for the attachment.
    const [attachmentId] = Object.keys(template.findResources('AWS::SecretsManager::SecretTargetAttachment'));
    template.hasResource('AWS::SecretsManager::RotationSchedule', { DependsOn: Match.arrayWith([attachmentId]) });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({ RotationType: 'PostgreSQLSingleUser', KmsKeyArn: keyArn, VpcSecurityGroupIds: Match.anyValue() }),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    // The rotation function reaches the database's port, written as a literal that checkers can read.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { Description: 'Secrets Manager rotation', FromPort: 15432, ToPort: 15432 });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"MasterUserPassword":"[^{]/);
    expect(findingsAfterSynth(stack).filter(f => !f.ruleId.startsWith('CEG-EBS'))).toEqual([]);
  });

  test.each([
    ['MySQL', rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }), 'require_secure_transport', 'ON', 'MySQLSingleUser'],
    ['MariaDB', rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_10_11 }), 'require_secure_transport', 'ON', 'MariaDBSingleUser'],
    ['SQL Server', rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16 }), 'rds.force_ssl', '1', 'SQLServerSingleUser'],
    ['PostgreSQL', POSTGRES, 'rds.force_ssl', '1', 'PostgreSQLSingleUser'],
  ])('%s: the engine\'s TLS parameter and hosted rotation', (_name, engine, parameter, value, rotation) => {
    const stack = newStack(newApp());
    new EncryptedRdsInstance(stack, 'Db', { engine, vpc: isolatedVpc(stack), vpcSubnets: ISOLATED, licenseModel: _name === 'SQL Server' ? rds.LicenseModel.LICENSE_INCLUDED : undefined });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { [parameter]: value } });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { HostedRotationLambda: Match.objectLike({ RotationType: rotation }) });
  });

  test('a given parameter group gets the TLS parameter merged; Performance Insights uses the key; a read replica keeps TLS and encryption', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const key = new CmkWithPolicy(stack, 'Key');
    const parameterGroup = new rds.ParameterGroup(stack, 'Tuned', { engine: POSTGRES, parameters: { work_mem: '65536' } });
    const db = new EncryptedRdsInstance(stack, 'Db', {
      engine: POSTGRES, vpc, vpcSubnets: ISOLATED, parameterGroup, storageEncryptionKey: key, enablePerformanceInsights: true,
    });
    const replica = db.addReadReplica('Replica', { instanceType: new ec2.InstanceType('t4g.medium') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'work_mem': '65536', 'rds.force_ssl': '1' } });
    template.hasResourceProperties('AWS::RDS::DBInstance', { PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [idOf(key), 'Arn'] }, EnablePerformanceInsights: true });
    // A same-Region replica inherits its source's parameter group (RDS refuses one for a same-Region
    // MySQL replica), its encryption, and here its CA.
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      SourceDBInstanceIdentifier: Match.anyValue(),
      DBParameterGroupName: Match.absent(),
      PubliclyAccessible: false,
      StorageEncrypted: Match.absent(),
      CACertificateIdentifier: 'rds-ca-rsa2048-g1',
    });
    const findings = findingsAfterSynth(stack, { services: [RuleService.RDS] });
    expect(verdictOn(findings, replica.node.path + '/Resource', 'CEG-RDS-2')).toBeUndefined();
    expect(verdictOn(findings, replica.node.path + '/Resource', 'CEG-RDS-3')).toBeUndefined();
  });

  test('refuses props that weaken it, and Oracle and unknown engines, with guidance', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const base = { engine: POSTGRES, vpc, vpcSubnets: ISOLATED };
    const off = new rds.ParameterGroup(stack, 'Off', { engine: POSTGRES, parameters: { 'rds.force_ssl': '0' } });
    const cases: Array<[object, RegExp]> = [
      [{ storageEncrypted: false }, /storageEncrypted is false: storage encryption can only be chosen at creation/],
      [{ publiclyAccessible: true }, /publiclyAccessible is true/],
      [{ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /vpcSubnets \("Public"\) selects public subnets/],
      [{ vpcSubnets: { subnetGroupName: 'public' } }, /vpcSubnets \(subnetGroupName "public"\) selects public subnets: .*no route to Secrets Manager/],
      [{ vpcSubnets: { subnets: vpc.publicSubnets } }, /vpcSubnets \(subnets\) selects public subnets/],
      [{ storageEncryptionKey: kms.Alias.fromAliasName(stack, 'AwsRds', 'alias/aws/rds') }, /storageEncryptionKey is the AWS managed key alias\/aws\/rds, whose use you cannot control/],
      [{ enablePerformanceInsights: true, performanceInsightEncryptionKey: kms.Alias.fromAliasName(stack, 'AwsRdsPi', 'alias/aws/rds') }, /performanceInsightEncryptionKey is the AWS managed key alias\/aws\/rds/],
      [{ enablePerformanceInsights: false, performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT }, /enablePerformanceInsights is false, but performanceInsightRetention/],
      [{ engine: rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_10_4 }) }, /engine mariadb 10.4\S* has no require_secure_transport parameter .* choose MariaDB 10.5 or later/],
      [{ credentials: rds.Credentials.fromPassword('admin', SecretValue.unsafePlainText('hunter2')) }, /credentials are refused/],
      [{ parameterGroup: rds.ParameterGroup.fromParameterGroupName(stack, 'Imported', 'shared') }, /parameterGroup is imported, so rds.force_ssl=1 cannot be added/],
      [{ parameterGroup: off }, /parameterGroup sets rds.force_ssl to "0", which lets clients connect without TLS/],
      [{ engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }), parameterGroup: new rds.ParameterGroup(stack, 'Postgres', { engine: POSTGRES }) },
        /parameterGroup is of family postgres16, but the engine's is mysql8.0: RDS refuses a parameter group of another family/],
      [{ engine: rds.DatabaseInstanceEngine.oracleSe2({ version: rds.OracleEngineVersion.VER_19 }) }, /engine oracle-se2 is refused for now: TLS on Oracle needs an option group/],
      [{ engine: { ...POSTGRES, engineType: 'db2-se' } }, /engine db2-se is not one this construct knows how to force TLS on/],
    ];
    cases.forEach(([props, message], i) => expect(() => new EncryptedRdsInstance(stack, `Bad${i}`, { ...base, ...props } as any)).toThrow(message));
  });
});

describe('EncryptedRdsInstance: deployability and choices', () => {
  test('a VPC with only isolated subnets works at the defaults (the L2\'s own subnet default), with the key letting RDS create grants for the deployer', () => {
    const stack = newStack(newApp());
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { HostedRotationLambda: Match.objectLike({ VpcSubnetIds: Match.anyValue() }) });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    const statements: any[] = template.toJSON().Resources[idOf(db.encryptionKey as CmkWithPolicy)].Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'AllowGrantsThroughRds',
      Action: 'kms:CreateGrant',
      Condition: { StringEquals: { 'kms:ViaService': 'rds.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
  });

  test('an existing Secrets Manager endpoint is found by its service, whatever its ID: no second endpoint with private DNS', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('Secrets', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
    new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 1);
  });

  test('Performance Insights with only a retention uses the key; with only a key it is on', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const retention = new EncryptedRdsInstance(stack, 'Retention', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED, performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT });
    const other = new CmkWithPolicy(stack, 'PiKey');
    new EncryptedRdsInstance(stack, 'KeyOnly', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED, performanceInsightEncryptionKey: other });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      EnablePerformanceInsights: true, PerformanceInsightsRetentionPeriod: 7, PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [idOf(retention.encryptionKey as CmkWithPolicy), 'Arn'] },
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { EnablePerformanceInsights: true, PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [idOf(other), 'Arn'] } });
  });

  test('RDS-managed master password: the secret is encrypted with the key, no rotation function, no credentials secret of ours', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    // Older aws-cdk-lib releases (the CI floor job) ignore the prop on rds.DatabaseInstance: refused there.
    const probeStack = newStack(newApp(), 'P');
    const probe = new rds.DatabaseInstance(probeStack, 'Probe', { engine: POSTGRES, vpc: isolatedVpc(probeStack), vpcSubnets: ISOLATED, manageMasterUserPassword: true } as rds.DatabaseInstanceProps);
    if ((probe.node.defaultChild as rds.CfnDBInstance).manageMasterUserPassword !== true) {
      expect(() => new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED, manageMasterUserPassword: true }))
        .toThrow(/manageMasterUserPassword is true, but the aws-cdk-lib in use .* ignores it/);
      return;
    }
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED, manageMasterUserPassword: true, masterUsername: 'owner' });
    expect(db.credentialsSecret).toBeUndefined();
    expect(db.secret).toBeDefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      ManageMasterUserPassword: true,
      MasterUsername: 'owner',
      MasterUserPassword: Match.absent(),
      MasterUserSecret: { KmsKeyId: { 'Fn::GetAtt': [idOf(db.encryptionKey as CmkWithPolicy), 'Arn'] } },
      StorageEncrypted: true,
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(() => db.addRotationSingleUser()).toThrow(/RDS automatically rotates the master password/);
  });

  test('a read replica uses the source\'s CA', () => {
    const stack = newStack(newApp());
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc: isolatedVpc(stack), vpcSubnets: ISOLATED, caCertificate: rds.CaCertificate.RDS_CA_ECC384_G1 });
    db.addReadReplica('Replica', { instanceType: new ec2.InstanceType('t4g.medium') });
    const replicas = Template.fromStack(stack).findResources('AWS::RDS::DBInstance', { Properties: { SourceDBInstanceIdentifier: Match.anyValue() } });
    expect(Object.values(replicas).map((r: any) => r.Properties.CACertificateIdentifier)).toEqual(['rds-ca-ecc384-g1']);
  });

  test('Multi-AZ, a non-default port and every log type by engine; each can be chosen; a replica follows its source', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    const instance = (id: string, engine: rds.IInstanceEngine, props: Partial<rds.DatabaseInstanceProps> = {}) =>
      new EncryptedRdsInstance(stack, id, { engine, vpc, vpcSubnets: ISOLATED, licenseModel: rds.LicenseModel.LICENSE_INCLUDED, ...props });
    const mysql = instance('MySql', rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 }));
    instance('SqlServer', rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16 }));
    instance('Express', rds.DatabaseInstanceEngine.sqlServerEx({ version: rds.SqlServerEngineVersion.VER_16 }));
    instance('Chosen', POSTGRES, { multiAz: false, port: 5432, cloudwatchLogsExports: ['postgresql'] });
    mysql.addReadReplica('Replica', { instanceType: new ec2.InstanceType('m6i.large') });
    mysql.addReadReplica('SingleAz', { instanceType: new ec2.InstanceType('m6i.large'), multiAz: false });
    const instances = Template.fromStack(stack).findResources('AWS::RDS::DBInstance');
    const settings = (id: string) => {
      const p = instances[Stack.of(stack).getLogicalId(stack.node.findAll().find(c => c.node.path === `Stack/${id}/Resource`) as CfnElement)].Properties;
      return [p.MultiAZ, p.Port, p.EnableCloudwatchLogsExports];
    };
    expect(settings('MySql')).toEqual([true, '13306', ['audit', 'error', 'general', 'slowquery']]);
    expect(settings('SqlServer')).toEqual([true, '11433', ['agent', 'error']]);
    expect(settings('Express')).toEqual([false, '11433', ['error']]);
    expect(settings('Chosen')).toEqual([false, '5432', ['postgresql']]);
    expect(settings('MySql/Replica')).toEqual([true, '13306', ['audit', 'error', 'general', 'slowquery']]);
    expect(settings('MySql/SingleAz')[0]).toBe(false);
  });

  test('a port known only at deploy time: the rotation rule uses it, and only that rule acknowledges the port checks', () => {
    const stack = newStack(newApp());
    const port = new CfnParameter(stack, 'Port', { type: 'Number' }).valueAsNumber;
    const db = new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc: isolatedVpc(stack), vpcSubnets: ISOLATED, port });
    const rule = stack.node.findAll().find((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress
      && c.node.path.startsWith('Stack/Db/SecurityGroup/'))!;
    expect(stack.resolve(rule.fromPort)).toEqual({ 'Fn::GetAtt': [idOf(db), 'Endpoint.Port'] });
    const acknowledged = stack.node.findAll().filter(c => c.node.metadata.some(m => m.type === 'aws:cdk:acknowledged-rules'));
    expect(acknowledged.map(c => c.node.path).filter(p => p.startsWith('Stack/Db'))).toEqual([rule.node.path]);
    const ids = rule.node.metadata.filter(m => m.type === 'aws:cdk:acknowledged-rules').flatMap(m => Object.keys(m.data));
    // CDK records them as `Annotation::<id>` (older releases: `annotation::<id>`, once per metadata entry).
    expect([...new Set(ids.map(i => i.replace(/^annotation::/i, '')))].sort()).toEqual(['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
      .flatMap(pack => [`${pack}-EC2RestrictedCommonPorts`, `${pack}-EC2RestrictedSSH`]).sort());
  });
});

describe('EncryptedRdsInstance in isolated subnets', () => {
  test('adds one Secrets Manager interface endpoint to the VPC, so that rotation can reach Secrets Manager without a NAT', () => {
    const stack = newStack(newApp());
    const vpc = isolatedVpc(stack);
    new EncryptedRdsInstance(stack, 'First', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED });
    new EncryptedRdsInstance(stack, 'Second', { engine: POSTGRES, vpc, vpcSubnets: ISOLATED });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.secretsmanager', VpcEndpointType: 'Interface', PrivateDnsEnabled: true,
    });
    const toEndpoint = template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { Description: 'Secrets Manager rotation', FromPort: 443 } });
    expect(Object.keys(toEndpoint)).toHaveLength(2);
  });

  test('adds none when the database is in subnets with a NAT', () => {
    const stack = newStack(newApp());
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 2 });
    new EncryptedRdsInstance(stack, 'Db', { engine: POSTGRES, vpc });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });
});
