/**
 * RDS engine TLS (CEG-RDS-3) and Secrets Manager rules (CEG-SM-1, CEG-SM-2).
 */
import { Aws, CfnParameter, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EncryptionGate, FindingKind, RuleService } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

describe('RDS TLS and Secrets Manager rules', () => {
  test('CEG-RDS-3: default groups by engine version, custom groups, groups outside the app, Aurora cluster groups, Oracle option groups', () => {
    const stack = newStack(newApp());
    const mysqlOn = new rds.CfnDBParameterGroup(stack, 'MysqlOn', { family: 'mysql8.0', description: 'tls', parameters: { require_secure_transport: 'ON' } });
    const mysqlOff = new rds.CfnDBParameterGroup(stack, 'MysqlOff', { family: 'mysql8.0', description: 'off', parameters: { require_secure_transport: 'OFF' } });
    const auroraTls = new rds.CfnDBClusterParameterGroup(stack, 'AuroraTls', { family: 'aurora-postgresql16', description: 'tls', parameters: { 'rds.force_ssl': '1' } });
    const ssl = new rds.CfnOptionGroup(stack, 'OracleSsl', {
      engineName: 'oracle-ee', majorEngineVersion: '19', optionGroupDescription: 'ssl', optionConfigurations: [{ optionName: 'SSL', port: 2484 }],
    });
    const db = (id: string, props: object) => new rds.CfnDBInstance(stack, id, { dbInstanceClass: 'db.t4g.micro', storageEncrypted: true, ...props });
    db('Pg14Default', { engine: 'postgres', engineVersion: '14.12' });
    db('Pg16Default', { engine: 'postgres', engineVersion: '16.4' });
    db('MysqlWithTls', { engine: 'mysql', dbParameterGroupName: mysqlOn.ref });
    db('MysqlWithoutTls', { engine: 'mysql', dbParameterGroupName: mysqlOff.ref });
    db('MysqlNamedDefault', { engine: 'mysql', engineVersion: '8.0.39', dbParameterGroupName: 'default.mysql8.0' });
    db('MysqlOutside', { engine: 'mysql', dbParameterGroupName: 'shared-params' });
    db('OracleWithSsl', { engine: 'oracle-ee', optionGroupName: ssl.ref });
    db('OracleDefault', { engine: 'oracle-ee' });
    new rds.CfnDBCluster(stack, 'AuroraWithTls', { engine: 'aurora-postgresql', storageEncrypted: true, dbClusterParameterGroupName: auroraTls.ref });
    new rds.CfnDBCluster(stack, 'AuroraDefault', { engine: 'aurora-mysql', storageEncrypted: true });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-RDS-3'] });
    expect(findings.map(f => `${f.constructPath.replace('Stack/', '')} ${f.kind}`).sort()).toEqual([
      'AuroraDefault non-compliant',
      'MysqlNamedDefault non-compliant',
      'MysqlOff non-compliant',
      'MysqlOutside unresolvable',
      'MysqlWithoutTls non-compliant',
      'OracleDefault non-compliant',
      'Pg14Default non-compliant',
    ]);
    expect(verdictOn(findings, 'Stack/MysqlWithoutTls', 'CEG-RDS-3')!.detail).toBe('Its DB parameter group MysqlOff sets require_secure_transport to "OFF", so clients may connect without TLS');
    expect(verdictOn(findings, 'Stack/Pg14Default', 'CEG-RDS-3')!.detail).toMatch(/uses the default parameter group, in which rds.force_ssl is not 1/);
  });

  test('CEG-SM-1 and CEG-SM-2: customer managed key and rotation, on L2 and L1 secrets', () => {
    const stack = newStack(newApp());
    new secretsmanager.Secret(stack, 'Plain');
    const keyed = new secretsmanager.Secret(stack, 'Keyed', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    keyed.addRotationSchedule('Rotation', { hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser(), automaticallyAfter: Duration.days(7) });
    new secretsmanager.CfnSecret(stack, 'AwsManaged', { kmsKeyId: 'alias/aws/secretsmanager' });
    const fromParameter = new secretsmanager.CfnSecret(stack, 'FromParameter', { kmsKeyId: new CfnParameter(stack, 'KeyId').valueAsString });
    new secretsmanager.CfnRotationSchedule(stack, 'NoRules', { secretId: fromParameter.ref, rotationLambdaArn: 'arn:aws:lambda:eu-west-1:111111111111:function:rotate' });
    const findings = EncryptionGate.evaluate(stack, { services: [RuleService.SECRETS_MANAGER] });
    expect(findings.map(f => `${f.ruleId} ${f.constructPath.replace('Stack/', '')} ${f.kind}`).sort()).toEqual([
      'CEG-SM-1 AwsManaged non-compliant',
      'CEG-SM-1 FromParameter unresolvable',
      'CEG-SM-1 Plain/Resource non-compliant',
      'CEG-SM-2 AwsManaged non-compliant',
      'CEG-SM-2 FromParameter non-compliant',
      'CEG-SM-2 Plain/Resource non-compliant',
    ]);
    expect(verdictOn(findings, 'Stack/FromParameter', 'CEG-SM-2')!.detail).toMatch(/no rotation function .* or no RotationRules/);
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-SM-1')).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
  });

  test('CEG-SM-1: a customer managed key named through an alias or a formatted ARN is one; alias/aws/... is not (also in a stack without env)', () => {
    const app = newApp();
    for (const stack of [newStack(app), new Stack(app, 'Agnostic')]) {
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const secret = (id: string, encryptionKey: kms.IKey, replicaKey?: kms.IKey) => new secretsmanager.Secret(stack, id, {
        encryptionKey, replicaRegions: replicaKey === undefined ? undefined : [{ region: 'us-east-1', encryptionKey: replicaKey }],
      });
      secret('AddAlias', key.addAlias('alias/app-secrets'));
      secret('FromAliasName', kms.Alias.fromAliasName(stack, 'Platform', 'alias/platform-secrets'));
      secret('FormattedArn', kms.Key.fromKeyArn(stack, 'Formatted', stack.formatArn({ service: 'kms', resource: 'key', resourceName: '1234abcd-12ab-34cd-56ef-1234567890ab' })));
      secret('ReplicaAlias', key, kms.Alias.fromAliasName(stack, 'ReplicaPlatform', 'alias/platform-secrets'));
      secret('Managed', kms.Alias.fromAliasName(stack, 'ManagedAlias', 'alias/aws/secretsmanager'));
      secret('ReplicaManaged', key, kms.Alias.fromAliasName(stack, 'ReplicaManagedAlias', 'alias/aws/secretsmanager'));
    }
    const findings = EncryptionGate.evaluate(app, { ruleIds: ['CEG-SM-1'] });
    expect(findings.map(f => `${f.constructPath} ${f.kind}`).sort()).toEqual([
      'Agnostic/Managed/Resource non-compliant',
      'Agnostic/ReplicaManaged/Resource non-compliant',
      'Stack/Managed/Resource non-compliant',
      'Stack/ReplicaManaged/Resource non-compliant',
    ]);
    expect(verdictOn(findings, 'Stack/Managed/Resource', 'CEG-SM-1')!.detail).toBe('The secret names the AWS managed key alias/aws/secretsmanager');
    expect(verdictOn(findings, 'Stack/ReplicaManaged/Resource', 'CEG-SM-1')!.detail).toBe('Its replica in us-east-1 names the AWS managed key alias/aws/secretsmanager');
  });

  test('CEG-SM-1: an alias whose first word is a partition known only at deploy time is unresolvable (alias/${AWS::Partition}/secretsmanager is the AWS managed key in aws)', () => {
    const stack = newStack(newApp());
    // A stack of a known Region knows its partition: there it is alias/aws/secretsmanager.
    new secretsmanager.CfnSecret(stack, 'Known', { kmsKeyId: Fn.join('', ['alias/', Aws.PARTITION, '/secretsmanager']) });
    new secretsmanager.CfnSecret(stack, 'PartitionInArn', { kmsKeyId: `arn:${Aws.PARTITION}:kms:eu-west-1:111111111111:alias/app-secrets` });
    // No pseudo parameter holds a `/`: one inside the first word of a customer's alias cannot make it aws/.
    const agnostic = new Stack(stack.node.root as Construct, 'Agnostic');
    new secretsmanager.CfnSecret(agnostic, 'Partition', { kmsKeyId: Fn.join('', ['alias/', Aws.PARTITION, '/secretsmanager']) });
    new secretsmanager.CfnSecret(agnostic, 'PartitionNoAlias', { kmsKeyId: Fn.join('', [Aws.PARTITION, '/secretsmanager']) });
    new secretsmanager.Secret(agnostic, 'AccountAlias', { encryptionKey: kms.Alias.fromAliasName(agnostic, 'A', `alias/${agnostic.account}-secrets`) });
    new secretsmanager.Secret(agnostic, 'StackAlias', { encryptionKey: kms.Alias.fromAliasName(agnostic, 'B', `alias/${agnostic.stackName}-data`) });
    new secretsmanager.Secret(agnostic, 'AccountWord', { encryptionKey: kms.Alias.fromAliasName(agnostic, 'C', `alias/${agnostic.account}/data`) });
    new secretsmanager.Secret(agnostic, 'PartitionWord', { encryptionKey: kms.Alias.fromAliasName(agnostic, 'D', `alias/${Aws.PARTITION}-team/data`) });
    const nested = new NestedStack(agnostic, 'Nested');
    new secretsmanager.Secret(nested, 'NestedStackWord', { encryptionKey: kms.Alias.fromAliasName(nested, 'E', `alias/${nested.stackName}/data`) });
    const findings = EncryptionGate.evaluate(stack.node.root, { ruleIds: ['CEG-SM-1'] });
    expect(verdictOn(findings, 'Stack/Known', 'CEG-SM-1')).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
    expect(verdictOn(findings, 'Agnostic/Partition', 'CEG-SM-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Agnostic/PartitionNoAlias', 'CEG-SM-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/PartitionInArn', 'CEG-SM-1')).toBeUndefined();
    expect(verdictOn(findings, 'Agnostic/AccountAlias/Resource', 'CEG-SM-1')).toBeUndefined();
    expect(verdictOn(findings, 'Agnostic/StackAlias/Resource', 'CEG-SM-1')).toBeUndefined();
    // An account is twelve digits, never `aws`; `aws-team` is not `aws`.
    expect(verdictOn(findings, 'Agnostic/AccountWord/Resource', 'CEG-SM-1')).toBeUndefined();
    expect(verdictOn(findings, 'Agnostic/PartitionWord/Resource', 'CEG-SM-1')).toBeUndefined();
    // A nested stack's name is `<parent>-<id>-<suffix>`, never `aws`.
    expect(verdictOn(findings, 'Agnostic/Nested/NestedStackWord/Resource', 'CEG-SM-1')).toBeUndefined();
    expect(verdictOn(findings, 'Agnostic/Partition', 'CEG-SM-1')!.detail).toBe('The secret names its key by an alias whose first word is the partition, '
      + 'which makes it the AWS managed key alias/aws/... in the aws partition');
  });
});
