import { Aws, CfnCondition, CfnOutput, CfnParameter, Duration, Fn, NestedStack, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { envStack, runAll, verdict } from './harness';
import { SecureStringParameter } from '../../src';

/** Defects found by the twenty-eighth red-team pass (on the twenty-seventh pass's fixes), each through the three front ends. */

const rotatingKey = (stack: Stack, id = 'Key') => new kms.Key(stack, id, { enableKeyRotation: true });
const whenOn = (stack: Stack, id: string) => {
  const mode = (stack.node.tryFindChild('Mode') as CfnParameter | undefined) ?? new CfnParameter(stack, 'Mode', { default: 'on' });
  return new CfnCondition(stack, id, { expression: Fn.conditionEquals(mode.valueAsString, 'on') });
};
const tlsOnly = (bucketName: string) => {
  const arn = Fn.join('', ['arn:aws:s3:::', bucketName]);
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, Fn.join('', [arn, '/*'])], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  };
};

describe('a referrer of another stack that imports an export its world removes', () => {
  const results = runAll(app => {
    const a = envStack(app, 'A');
    const exported = whenOn(a, 'Exported');
    const bucket = new s3.CfnBucket(a, 'Bucket', { bucketName: 'orders-data-a' });
    const weak = new s3.CfnBucketPolicy(a, 'Own', {
      bucket: bucket.ref,
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: `${bucket.attrArn}/*` }] },
    });
    weak.cfnOptions.condition = new CfnCondition(a, 'NotExported', { expression: Fn.conditionNot(exported) });
    new CfnOutput(a, 'Name', { value: bucket.ref, exportName: 'orders-bucket', condition: exported });
    new s3.CfnBucketPolicy(envStack(app, 'C'), 'TlsOnly', { bucket: Fn.importValue('orders-bucket'), policyDocument: tlsOnly(Fn.importValue('orders-bucket')) });
  }, { ruleIds: ['CEG-S3-2'] });
  test('is absent there, not a reason to drop the judged bucket\'s world: its own weak policy applies when the export does not exist', () => {
    expect(verdict(results, 'CEG-S3-2', 'A/Bucket')).toBe('non-compliant');
  });
});

describe('names: the own stack\'s resource of that name, where it exists', () => {
  const group = (stack: Stack, id: string, name: string, forceSsl: string) => new rds.CfnDBParameterGroup(stack, id, {
    dbParameterGroupName: name, family: 'postgres16', description: 'TLS', parameters: { 'rds.force_ssl': forceSsl },
  });
  const db = (stack: Stack, groupName: string) => new rds.CfnDBInstance(stack, 'Db', {
    engine: 'postgres',
    engineVersion: '16.4',
    dbInstanceClass: 'db.t4g.micro',
    allocatedStorage: '20',
    masterUsername: 'admin_user',
    manageMasterUserPassword: true,
    storageEncrypted: true,
    dbParameterGroupName: groupName,
  });
  const own = runAll(app => {
    const prod = envStack(app, 'Prod');
    group(prod, 'Group', 'pg-secure', '1');
    db(prod, 'pg-secure');
    group(new Stack(app, 'Dev'), 'Group', 'pg-secure', '0');
  }, { ruleIds: ['CEG-RDS-3'] });
  test('the stack\'s own group holds the name whenever the stack deploys: passes, whatever another stack may hold', () => {
    expect(verdict(own, 'CEG-RDS-3', 'Prod/Db')).toBe('pass');
  });
  const conditional = runAll(app => {
    const prod = envStack(app, 'Prod');
    group(prod, 'Group', 'pg-secure', '1').cfnOptions.condition = whenOn(prod, 'UseOwn');
    db(prod, 'pg-secure');
    group(envStack(app, 'Other'), 'Group', 'pg-secure', '0');
  }, { ruleIds: ['CEG-RDS-3'] });
  test('where the own group does not exist, the name is the other stack\'s', () => {
    expect(verdict(conditional, 'CEG-RDS-3', 'Prod/Db')).toBe('non-compliant');
  });
});

describe('key ARNs and lists, as CloudFormation joins them', () => {
  const colon = runAll(app => {
    const stack = envStack(app, 'S');
    new secretsmanager.CfnSecret(stack, 'Secret', {
      kmsKeyId: Fn.join(':', ['arn', Aws.PARTITION, 'kms', Aws.REGION, Aws.ACCOUNT_ID, `key/${rotatingKey(stack).keyId}`]), generateSecretString: {},
    });
  }, { ruleIds: ['CEG-SM-1'] });
  test('an ARN joined by ":" around key/${keyId} is the key', () => {
    expect(verdict(colon, 'CEG-SM-1', 'S/Secret')).toBe('pass');
  });
  const split = runAll(app => {
    const stack = envStack(app, 'Data');
    // A key ARN holds ":" itself: the seventh piece of this split is not the seventh element joined.
    // (Written as the template has it: CDK's Fn.join would merge the literals into one element.)
    const list = { 'Fn::Join': [':', [rotatingKey(stack).keyArn, 'alias/aws/secretsmanager', 'a', 'b', 'c', 'd', 'alias/mine']] };
    new secretsmanager.CfnSecret(stack, 'Secret', { kmsKeyId: Token.asString({ 'Fn::Select': [6, { 'Fn::Split': [':', list] }] }), generateSecretString: {} });
  }, { ruleIds: ['CEG-SM-1'] });
  test('Fn::Split of a join around a reference that may hold the delimiter is not folded: unresolvable', () => {
    expect(verdict(split, 'CEG-SM-1', 'Data/Secret')).toBe('unresolvable');
  });
});

/** The thirtieth red-team pass, on the fixes above. */
describe('list exports joined by a comma, named ARNs and conditional or nested resources', () => {
  const comma = runAll(app => {
    const a = envStack(app, 'A');
    new CfnOutput(a, 'Keys', { value: Fn.join(',', ['alias/aws/secretsmanager', rotatingKey(a).keyArn]), exportName: 'keys' });
    const b = envStack(app, 'B');
    new secretsmanager.CfnSecret(b, 'Managed', { kmsKeyId: Fn.select(0, Fn.split(',', Fn.importValue('keys'))), generateSecretString: {} });
    new secretsmanager.CfnSecret(b, 'Customer', { kmsKeyId: Fn.select(1, Fn.split(',', Fn.importValue('keys'))), generateSecretString: {} });
  }, { ruleIds: ['CEG-SM-1'] });
  test('a key\'s ID, ARN or alias holds no comma: a comma-joined list export is read per element', () => {
    expect(verdict(comma, 'CEG-SM-1', 'B/Managed')).toBe('non-compliant');
    expect(verdict(comma, 'CEG-SM-1', 'B/Customer')).toBe('pass');
  });

  const arnElsewhere = runAll(app => {
    const stack = new Stack(app, 'S');
    new secretsmanager.CfnSecret(stack, 'Secret', { name: 'orders/db', kmsKeyId: rotatingKey(stack).keyArn, generateSecretString: {} });
    new secretsmanager.CfnRotationSchedule(stack, 'Rotation', {
      secretId: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders/db',
      rotationLambdaArn: 'arn:aws:lambda:us-east-1:111111111111:function:rotate',
      rotationRules: { automaticallyAfterDays: 30 },
    });
  }, { ruleIds: ['CEG-SM-2'] });
  test('an ARN naming a fixed Region is not surely the own (environment-agnostic) stack\'s resource: unresolvable', () => {
    expect(verdict(arnElsewhere, 'CEG-SM-2', 'S/Secret')).toBe('unresolvable');
  });

  const conditionalOther = runAll(app => {
    const prod = envStack(app, 'Prod');
    new rds.CfnDBInstance(prod, 'Db', {
      engine: 'postgres',
      engineVersion: '16.4',
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      masterUsername: 'admin_user',
      manageMasterUserPassword: true,
      storageEncrypted: true,
      dbParameterGroupName: 'pg-x',
    });
    const groups = envStack(app, 'Groups');
    new rds.CfnDBParameterGroup(groups, 'Group', { dbParameterGroupName: 'pg-x', family: 'postgres16', description: 'TLS', parameters: { 'rds.force_ssl': '1' } })
      .cfnOptions.condition = whenOn(groups, 'UseIt');
  }, { ruleIds: ['CEG-RDS-3'] });
  test('where a condition of its stack removes the only resource of that name, the name names none: not a pass', () => {
    expect(verdict(conditionalOther, 'CEG-RDS-3', 'Prod/Db')).toBe('unresolvable');
  });

  const nested = runAll(app => {
    const a = envStack(app, 'A');
    new CfnOutput(a, 'Name', { value: 'orders-nested', exportName: 'name', condition: whenOn(a, 'Exported') });
    const p = envStack(app, 'P');
    new s3.CfnBucket(p, 'Bucket', { bucketName: 'orders-nested' });
    new s3.CfnBucketPolicy(new NestedStack(p, 'N'), 'TlsOnly', { bucket: Fn.importValue('name'), policyDocument: tlsOnly('orders-nested') });
  }, { ruleIds: ['CEG-S3-2'] });
  test('a nested stack deploys with its parent: where its import does not exist, the parent\'s bucket has no verdict either', () => {
    expect(verdict(nested, 'CEG-S3-2', 'P/Bucket')).toBe('pass');
  });
});

/** The thirty-first red-team pass, on the referrers followed in each world. */
describe('a referrer whose target depends on conditions', () => {
  const strongBucket = (stack: Stack, name: string) => {
    const bucket = new s3.CfnBucket(stack, 'Bucket', { bucketName: name });
    new s3.CfnBucketPolicy(stack, 'TlsOnly', { bucket: bucket.ref, policyDocument: tlsOnly(name) });
  };
  const weakPolicy = (stack: Stack, bucket: string) => new s3.CfnBucketPolicy(stack, 'Weak', {
    bucket, policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }] },
  });
  test.each([true, false])('a branch only the deployment tells does not hide the others (parameter first: %s)', parameterFirst => {
    const results = runAll(app => {
      strongBucket(envStack(app, 'B'), 'orders-weak');
      const c = envStack(app, 'C');
      const parameter = new CfnParameter(c, 'Other').valueAsString;
      const use = whenOn(c, 'Use').logicalId;
      weakPolicy(c, (parameterFirst ? Fn.conditionIf(use, parameter, 'orders-weak') : Fn.conditionIf(use, 'orders-weak', parameter)).toString());
    }, { ruleIds: ['CEG-S3-2'] });
    expect(verdict(results, 'CEG-S3-2', 'B/Bucket')).toBe('non-compliant');
  });

  const tiers = runAll(app => {
    strongBucket(envStack(app, 'B'), 'dev-us-green-logs');
    const c = envStack(app, 'C');
    const pick = (id: string, yes: string, no: string) => Fn.conditionIf(
      new CfnCondition(c, id, { expression: Fn.conditionEquals(new CfnParameter(c, `Choose${id}`, { default: 'x' }).valueAsString, 'yes') }).logicalId, yes, no).toString();
    weakPolicy(c, Fn.join('-', [pick('Prod', 'prod', 'dev'), pick('Eu', 'eu', 'us'), pick('Blue', 'blue', 'green'), 'logs']));
  }, { ruleIds: ['CEG-S3-2'] });
  test('a name chosen by three conditions (eight names) is followed in every world', () => {
    expect(verdict(tiers, 'CEG-S3-2', 'B/Bucket')).toBe('non-compliant');
  });
});

describe('Fn::Split of a list export around a reference that is not a key', () => {
  const results = runAll(app => {
    const a = envStack(app, 'A');
    // An alarm's name may hold the delimiter: which element is the key only the deployment tells.
    const alarm = new cloudwatch.CfnAlarm(a, 'Alarm', {
      alarmName: 'prod||alias/aws/secretsmanager',
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      metricName: 'Errors',
      namespace: 'App',
      period: 60,
      statistic: 'Sum',
    });
    new CfnOutput(a, 'Pair', { value: Fn.join('||', [alarm.ref, rotatingKey(a).keyArn]), exportName: 'pair' });
    new secretsmanager.CfnSecret(envStack(app, 'B'), 'Secret', { kmsKeyId: Fn.select(1, Fn.split('||', Fn.importValue('pair'))), generateSecretString: {} });
  }, { ruleIds: ['CEG-SM-1'] });
  test('is not folded: unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-SM-1', 'B/Secret')).toBe('unresolvable');
  });
});

/** The thirty-second red-team pass: an ordinary-apps sweep. */
describe('ordinary apps the gate failed', () => {
  const agnostic = runAll(app => {
    new SecureStringParameter(new Stack(app, 'Data'), 'Token', { parameterName: '/app/token' });
  }, { ruleIds: ['CEG-KMS-2', 'CEG-KMS-3'] });
  test('a service principal spelled with the Region (logs.${AWS::Region}.amazonaws.com) is a service, not maybe everyone', () => {
    expect(verdict(agnostic, 'CEG-KMS-2', 'Data/CegProviderLogsKey/Resource')).toBe('pass');
    expect(verdict(agnostic, 'CEG-KMS-3', 'Data/CegProviderLogsKey/Resource')).toBe('pass');
  });

  test.each([true, false])('a rotation schedule naming its secret by the partial ARN of Secret.fromSecretNameV2 rotates it (same stack: %s)', sameStack => {
    const results = runAll(app => {
      const data = envStack(app, 'Data');
      new secretsmanager.Secret(data, 'Secret', { secretName: 'orders/db', encryptionKey: rotatingKey(data) });
      const ops = sameStack ? data : envStack(app, 'Ops');
      new secretsmanager.RotationSchedule(ops, 'Rotation', {
        secret: secretsmanager.Secret.fromSecretNameV2(ops, 'Imported', 'orders/db'),
        rotationLambda: new lambda.Function(ops, 'Rotate', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') }),
        automaticallyAfter: Duration.days(30),
      });
    }, { ruleIds: ['CEG-SM-2'] });
    expect(verdict(results, 'CEG-SM-2', 'Data/Secret/Resource')).toBe('pass');
  });
});

/** The thirty-third red-team pass, on the partition known from the Region and service principals. */
describe('partitions other than aws, and key policies that only a service may use', () => {
  test.each(['eu-west-1', 'cn-north-1', 'us-gov-west-1'])('%s: an ARN built with the partition matches the same ARN in the policy\'s conditions and resources', region => {
    const results = runAll(app => {
      const stack = new Stack(app, 'S', { env: { account: '111111111111', region } });
      const admin = iam.Role.fromRoleName(stack, 'Admin', 'Admin').roleArn;
      new kms.CfnKey(stack, 'Key', {
        enableKeyRotation: true,
        keyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: admin }, Action: 'kms:*', Resource: '*' },
            { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': admin } } },
          ],
        },
      });
      const bucket = new s3.CfnBucket(stack, 'Bucket', { bucketName: 'orders-data-partition' });
      const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'orders-data-partition');
      new s3.CfnBucketPolicy(stack, 'TlsOnly', {
        bucket: bucket.ref,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [imported.bucketArn, imported.arnForObjects('*')], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }],
        },
      });
    }, { ruleIds: ['CEG-KMS-3', 'CEG-S3-2'] });
    expect(verdict(results, 'CEG-KMS-3', 'S/Key')).toBe('pass');
    expect(verdict(results, 'CEG-S3-2', 'S/Bucket')).toBe('pass');
  });

  const serviceOnly = runAll(app => {
    const stack = new Stack(app, 'S');
    new kms.CfnKey(stack, 'Key', {
      enableKeyRotation: true,
      keyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: `logs.${Aws.REGION}.${Aws.URL_SUFFIX}` }, Action: 'kms:*', Resource: '*' }] },
    });
  }, { ruleIds: ['CEG-KMS-3'] });
  test('a key only a service (named at deploy time) may use has no administrator: non-compliant', () => {
    expect(verdict(serviceOnly, 'CEG-KMS-3', 'S/Key')).toBe('non-compliant');
  });
});
