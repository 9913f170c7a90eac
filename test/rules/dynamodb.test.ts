/**
 * DynamoDB rules: L2 tables and global tables, the requireCustomerManagedKeys option, conditions.
 */
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionChecks, EncryptionGate, FindingKind, RuleService } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };
const CMK = { requireCustomerManagedKeys: true };

describe('CEG-DDB-1 table encryption', () => {
  test('L2 tables: the default (AWS owned key) is a finding; AWS managed and customer managed keys pass, and only the latter under requireCustomerManagedKeys', () => {
    const stack = newStack(newApp());
    new dynamodb.Table(stack, 'Default', { partitionKey });
    new dynamodb.Table(stack, 'AwsManaged', { partitionKey, encryption: dynamodb.TableEncryption.AWS_MANAGED });
    new dynamodb.Table(stack, 'Customer', { partitionKey, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED });
    new dynamodb.CfnTable(stack, 'NamedManaged', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/aws/dynamodb' } });
    const lax = EncryptionGate.evaluate(stack, { services: [RuleService.DYNAMODB] });
    expect(verdictOn(lax, 'Stack/Default/Resource', 'CEG-DDB-1')!.detail)
      .toBe('The table does not set SSESpecification.SSEEnabled, so DynamoDB encrypts it with an AWS owned key that no key policy governs and CloudTrail does not record');
    expect(verdictOn(lax, 'Stack/AwsManaged/Resource', 'CEG-DDB-1')).toBeUndefined();
    expect(verdictOn(lax, 'Stack/Customer/Resource', 'CEG-DDB-1')).toBeUndefined();
    expect(verdictOn(lax, 'Stack/NamedManaged', 'CEG-DDB-1')).toBeUndefined();

    const strict = EncryptionGate.evaluate(stack, CMK);
    expect(verdictOn(strict, 'Stack/AwsManaged/Resource', 'CEG-DDB-1')!.detail).toMatch(/names no KMS key, so it is encrypted with the AWS managed key alias\/aws\/dynamodb/);
    expect(verdictOn(strict, 'Stack/NamedManaged', 'CEG-DDB-1')!.detail).toMatch(/names the AWS managed key alias\/aws\/dynamodb/);
    expect(verdictOn(strict, 'Stack/NamedManaged', 'CEG-DDB-1')!.location).toBe('Properties.SSESpecification.KMSMasterKeyId');
    expect(verdictOn(strict, 'Stack/Customer/Resource', 'CEG-DDB-1')).toBeUndefined();
  });

  test('an Fn::If around the SSE specification is judged branch by branch; a key from a parameter is unresolvable under the option', () => {
    const stack = newStack(newApp());
    const prod = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Env').valueAsString, 'prod') });
    const table = new dynamodb.Table(stack, 'Conditional', { partitionKey });
    (table.node.defaultChild as dynamodb.CfnTable).addPropertyOverride('SSESpecification', Fn.conditionIf(prod.logicalId, { SSEEnabled: true }, Fn.ref('AWS::NoValue')));
    new dynamodb.CfnTable(stack, 'ParamKey', {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: new CfnParameter(stack, 'Key').valueAsString },
    });
    const findings = EncryptionGate.evaluate(stack, CMK);
    expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Conditional/Resource', 'CEG-DDB-1')!.detail)
      .toMatch(/^When condition "IsProd" is false: the table does not set SSESpecification.SSEEnabled/);
    // Under the option the other branch fails too (AWS managed key): a pass needs every branch to pass.
    expect(verdictOn(findings, 'Stack/Conditional/Resource', 'CEG-DDB-1')!.kind).toBe(FindingKind.NON_COMPLIANT);
    expect(verdictOn(findings, 'Stack/ParamKey', 'CEG-DDB-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/ParamKey', 'CEG-DDB-1')!.detail).toMatch(/Ref to "Key"/);
  });
});

describe('CEG-DDB-1 and CEG-DDB-2 global tables', () => {
  test('TableV2 with a customer managed key and a key ARN per replica Region passes both rules', () => {
    const stack = newStack(newApp());
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new dynamodb.TableV2(stack, 'Global', {
      partitionKey,
      replicas: [{ region: 'us-east-1' }],
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key, { 'us-east-1': 'arn:aws:kms:us-east-1:111111111111:key/mrk-1' }),
    });
    new dynamodb.TableV2(stack, 'WrongRegion', {
      partitionKey,
      replicas: [{ region: 'us-east-1' }],
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key, { 'us-east-1': 'arn:aws:kms:eu-west-1:111111111111:key/mrk-1' }),
    });
    new dynamodb.TableV2(stack, 'Owned', { partitionKey, replicas: [{ region: 'us-east-1' }] });
    const findings = EncryptionGate.evaluate(stack, CMK);
    expect(verdictOn(findings, 'Stack/Global/Resource', 'CEG-DDB-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Global/Resource', 'CEG-DDB-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/WrongRegion/Resource', 'CEG-DDB-2')!.detail).toBe('The replica in us-east-1 names a key in eu-west-1; a replica needs a key in its own Region');
    // TableV2's default is an AWS owned key: SSEEnabled false.
    expect(verdictOn(findings, 'Stack/Owned/Resource', 'CEG-DDB-1')!.detail).toMatch(/^The global table (sets SSESpecification.SSEEnabled to false|does not set)/);
    expect(verdictOn(findings, 'Stack/Owned/Resource', 'CEG-DDB-2')).toBeUndefined();
  });

  test('a replica without a key next to replicas with keys, a key of another stack\'s Region, and AWS managed keys everywhere', () => {
    const app = newApp();
    const us = newStack(app, 'Us', 'us-east-1');
    const usKey = new kms.CfnKey(us, 'UsKey', { enableKeyRotation: true });
    const stack = newStack(app, 'Stack', 'eu-west-1');
    const keySchema = [{ attributeName: 'id', keyType: 'HASH' }];
    const sseSpecification = { sseEnabled: true, sseType: 'KMS' };
    new dynamodb.CfnGlobalTable(stack, 'Missing', {
      keySchema,
      sseSpecification,
      replicas: [{ region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/a' } }, { region: 'us-east-1' }],
    });
    new dynamodb.CfnGlobalTable(stack, 'AppKeyElsewhere', {
      keySchema,
      sseSpecification,
      replicas: [{ region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: usKey.attrArn } }],
    });
    new dynamodb.CfnGlobalTable(stack, 'Managed', { keySchema, sseSpecification, replicas: [{ region: 'eu-west-1' }, { region: 'us-east-1' }] });
    const findings = EncryptionGate.evaluate(stack);
    expect(verdictOn(findings, 'Stack/Missing', 'CEG-DDB-2')!.detail).toMatch(/^The replica in us-east-1 names no KMSMasterKeyId while other replicas name customer managed keys/);
    expect(verdictOn(findings, 'Stack/Missing', 'CEG-DDB-2')!.location).toBe('Properties.Replicas.1.SSESpecification.KMSMasterKeyId');
    expect(verdictOn(findings, 'Stack/AppKeyElsewhere', 'CEG-DDB-2')!.detail).toBe('The replica in eu-west-1 names a key in us-east-1; a replica needs a key in its own Region');
    expect(verdictOn(findings, 'Stack/Managed', 'CEG-DDB-2')).toBeUndefined();
    const strict = EncryptionGate.evaluate(stack, CMK);
    expect(verdictOn(strict, 'Stack/Managed', 'CEG-DDB-1')!.detail).toMatch(/^The replica in eu-west-1 names no KMS key/);
    expect(verdictOn(strict, 'Stack/Missing', 'CEG-DDB-1')!.detail).toMatch(/^The replica in us-east-1 names no KMS key/);
  });
});

describe('requireCustomerManagedKeys', () => {
  test('is validated as a boolean in every front end', () => {
    expect(() => EncryptionGate.evaluate(newStack(newApp()), { requireCustomerManagedKeys: 'false' as never })).toThrow(/requireCustomerManagedKeys is "false"; it takes true or false/);
    expect(() => new EncryptionChecks({ requireCustomerManagedKeys: 1 as never })).toThrow(/requireCustomerManagedKeys is 1/);
  });

  test('implies requireKmsForS3, and S3 buckets then need a customer managed key (KMS_MANAGED uses aws/s3)', () => {
    const stack = newStack(newApp());
    new s3.Bucket(stack, 'SseS3', { encryption: s3.BucketEncryption.S3_MANAGED });
    new s3.Bucket(stack, 'KmsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED });
    new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const findings = EncryptionGate.evaluate(stack, CMK).filter(f => f.ruleId === 'CEG-S3-1');
    expect(findings.map(f => [f.constructPath, f.detail])).toEqual([
      ['Stack/SseS3/Resource', 'The bucket uses SSE-S3 (AES256) but requireCustomerManagedKeys asks for SSE-KMS or DSSE-KMS, whose key use CloudTrail records'],
      ['Stack/KmsManaged/Resource', 'The bucket names no KMS key, so it is encrypted with the AWS managed key alias/aws/s3, but requireCustomerManagedKeys asks for a customer managed key'],
    ]);
    expect(findings[1].location).toBe('Properties.BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID');
    // requireKmsForS3 alone still accepts the AWS managed key.
    expect(EncryptionGate.evaluate(stack, { requireKmsForS3: true }).filter(f => f.ruleId === 'CEG-S3-1').map(f => f.constructPath)).toEqual(['Stack/SseS3/Resource']);
  });
});
