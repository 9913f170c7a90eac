import { App, CfnCondition, CfnOutput, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { envStack, runAll, verdict } from './harness';
import { EncryptionGate } from '../../src';

/** Defects found by the twenty-fifth red-team pass, each through the three front ends. */

/** A secret encrypted with the key an import names, rotated (so that only CEG-SM-1 speaks). */
function secretWithImportedKey(stack: Stack, exportName: string): void {
  const secret = new secretsmanager.Secret(stack, 'Secret', { encryptionKey: kms.Key.fromKeyArn(stack, 'Shared', Fn.importValue(exportName)) });
  secret.addRotationSchedule('Rotation', { hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser() });
}

describe('an Fn::ImportValue of an export the app defines is read as CloudFormation reads it (key values)', () => {
  const exported = runAll(app => {
    const keys = envStack(app, 'Keys');
    new CfnOutput(keys, 'KeyArn', { value: new kms.Key(keys, 'Key', { enableKeyRotation: true }).keyArn, exportName: 'shared-key-arn' });
    secretWithImportedKey(envStack(app, 'Data'), 'shared-key-arn');
  });
  test('a customer managed key another stack of the account and Region exports: CEG-SM-1 passes', () => {
    expect(verdict(exported, 'CEG-SM-1', 'Data/Secret/Resource')).toBe('pass');
  });

  const managed = runAll(app => {
    const keys = envStack(app, 'Keys');
    new CfnOutput(keys, 'KeyArn', { value: 'alias/aws/s3', exportName: 'bucket-key' });
    const data = envStack(app, 'Data');
    new s3.Bucket(data, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: kms.Key.fromKeyArn(data, 'Key', Fn.importValue('bucket-key')), enforceSSL: true });
  }, { ruleIds: ['CEG-S3-1'], requireCustomerManagedKeys: true });
  test('an exported AWS managed alias: non-compliant, not unresolvable', () => {
    expect(verdict(managed, 'CEG-S3-1', 'Data/Bucket/Resource')).toBe('non-compliant');
  });

  const table = runAll(app => {
    const keys = envStack(app, 'Keys');
    keys.exportValue(new kms.Key(keys, 'Key', { enableKeyRotation: true }).keyArn, { name: 'table-key' });
    const data = envStack(app, 'Data');
    new dynamodb.Table(data, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: kms.Key.fromKeyArn(data, 'Key', Fn.importValue('table-key')),
    });
  }, { ruleIds: ['CEG-DDB-1'], requireCustomerManagedKeys: true });
  test('Stack.exportValue and a DynamoDB table under requireCustomerManagedKeys: passes', () => {
    expect(verdict(table, 'CEG-DDB-1', 'Data/Table/Resource')).toBe('pass');
  });

  const uncertain = runAll(app => {
    // The exporting stack leaves its Region to the deployment: it may export another value there.
    const keys = new Stack(app, 'Keys');
    new CfnOutput(keys, 'KeyArn', { value: new kms.Key(keys, 'Key', { enableKeyRotation: true }).keyArn, exportName: 'shared-key-arn' });
    secretWithImportedKey(envStack(app, 'Data'), 'shared-key-arn');
    // No stack of the app exports this one.
    secretWithImportedKey(envStack(app, 'Other'), 'elsewhere-key-arn');
  });
  test('an export in a stack that may be elsewhere, or of no stack of the app: unresolvable, saying why', () => {
    expect(verdict(uncertain, 'CEG-SM-1', 'Data/Secret/Resource')).toBe('unresolvable');
    expect(verdict(uncertain, 'CEG-SM-1', 'Other/Secret/Resource')).toBe('unresolvable');
    const app = new App();
    const keys = new Stack(app, 'Keys');
    new CfnOutput(keys, 'KeyArn', { value: new kms.Key(keys, 'Key', { enableKeyRotation: true }).keyArn, exportName: 'shared-key-arn' });
    secretWithImportedKey(envStack(app, 'Data'), 'shared-key-arn');
    const messages = EncryptionGate.evaluate(app, { ruleIds: ['CEG-SM-1'] }).map(f => f.message);
    expect(messages).toEqual([expect.stringContaining('Fn::ImportValue "shared-key-arn"')]);
    expect(messages[0]).not.toContain('outside this app');
  });

  const parameter = runAll(app => {
    // The export holds the exporting stack's parameter: only that stack's deployment tells.
    const keys = envStack(app, 'Keys');
    new CfnOutput(keys, 'KeyArn', { value: new CfnParameter(keys, 'KeyArnParameter').valueAsString, exportName: 'shared-key-arn' });
    secretWithImportedKey(envStack(app, 'Data'), 'shared-key-arn');
  });
  test('an export of the exporting stack\'s parameter: unresolvable', () => {
    expect(verdict(parameter, 'CEG-SM-1', 'Data/Secret/Resource')).toBe('unresolvable');
  });

  const conditional = runAll(app => {
    const keys = envStack(app, 'Keys');
    const byAccount = new CfnCondition(keys, 'OwnKey', { expression: Fn.conditionEquals(new CfnParameter(keys, 'Mode').valueAsString, 'own') });
    new CfnOutput(keys, 'KeyArn', {
      value: Fn.conditionIf(byAccount.logicalId, new kms.Key(keys, 'Key', { enableKeyRotation: true }).keyArn, 'alias/aws/secretsmanager').toString(),
      exportName: 'shared-key-arn',
    });
    secretWithImportedKey(envStack(app, 'Data'), 'shared-key-arn');
  });
  test('an export that chooses with a condition of its stack: judged on both branches', () => {
    expect(verdict(conditional, 'CEG-SM-1', 'Data/Secret/Resource')).toBe('non-compliant');
  });

  const plain = runAll(app => {
    const keys = envStack(app, 'Keys');
    new CfnOutput(keys, 'Password', { value: 'password=Hunter2Hunter2', exportName: 'db-settings' });
    const data = envStack(app, 'Data');
    new ssm.StringParameter(data, 'Settings', { parameterName: '/app/settings', stringValue: Fn.importValue('db-settings') });
  }, { ruleIds: ['CEG-SSM-2'] });
  test('a plain parameter given an exported literal is judged on that literal (CEG-SSM-2)', () => {
    expect(verdict(plain, 'CEG-SSM-2', 'Data/Settings/Resource')).toBe('non-compliant');
  });
});

describe('a resource named by a literal in a stack that may be in another account or Region', () => {
  const schedule = (stack: Stack) => new secretsmanager.CfnRotationSchedule(stack, 'Rotation', {
    secretId: 'app/db', hostedRotationLambda: { rotationType: 'MySQLSingleUser' }, rotationRules: { automaticallyAfterDays: 30 },
  });
  const secret = (stack: Stack) => new secretsmanager.CfnSecret(stack, 'Secret', {
    name: 'app/db', kmsKeyId: new kms.Key(stack, 'Key', { enableKeyRotation: true }).keyArn, generateSecretString: {},
  });
  const agnosticSchedule = runAll(app => {
    secret(envStack(app, 'Prod'));
    schedule(new Stack(app, 'Shared'));
  }, { ruleIds: ['CEG-SM-2'] });
  const agnosticSecret = runAll(app => {
    secret(new Stack(app, 'Shared'));
    schedule(envStack(app, 'Prod'));
  }, { ruleIds: ['CEG-SM-2'] });
  const bothPinned = runAll(app => {
    secret(envStack(app, 'Prod'));
    schedule(envStack(app, 'Ops'));
  }, { ruleIds: ['CEG-SM-2'] });
  const bothAgnostic = runAll(app => {
    secret(new Stack(app, 'Shared'));
    schedule(new Stack(app, 'Ops'));
  }, { ruleIds: ['CEG-SM-2'] });
  test('a rotation schedule by name: unresolvable when either stack leaves its environment to the deployment', () => {
    expect(verdict(agnosticSchedule, 'CEG-SM-2', 'Prod/Secret')).toBe('unresolvable');
    expect(verdict(agnosticSecret, 'CEG-SM-2', 'Shared/Secret')).toBe('unresolvable');
  });
  test('surely in one account and Region (both stated, or both left to the deployment): the schedule counts', () => {
    expect(verdict(bothPinned, 'CEG-SM-2', 'Prod/Secret')).toBe('pass');
    expect(verdict(bothAgnostic, 'CEG-SM-2', 'Shared/Secret')).toBe('pass');
  });

  const parameterGroup = runAll(app => {
    new rds.CfnDBParameterGroup(new Stack(app, 'Shared'), 'Group', {
      dbParameterGroupName: 'pg-secure', family: 'postgres14', description: 'TLS only', parameters: { 'rds.force_ssl': '1' },
    });
    new rds.CfnDBInstance(envStack(app, 'Prod'), 'Db', {
      engine: 'postgres',
      engineVersion: '14.12',
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      storageEncrypted: true,
      dbParameterGroupName: 'pg-secure',
      masterUsername: 'admin_user',
      manageMasterUserPassword: true,
    });
  }, { ruleIds: ['CEG-RDS-3'] });
  test('a parameter group by name in an environment-agnostic stack: unresolvable (CEG-RDS-3)', () => {
    expect(verdict(parameterGroup, 'CEG-RDS-3', 'Prod/Db')).toBe('unresolvable');
  });
});
