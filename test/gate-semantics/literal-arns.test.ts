import { Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { envStack, httpsListener, newApp, runAll, verdict } from './harness';
import { EncryptionGate, RuleService } from '../../src';

/**
 * ARNs whose literal text names what a rule needs (a service, a Region) before a part known only
 * at deploy time: one reading of `Fn::Join` and `Fn::Sub` for every rule (`aws/literal-text.ts`).
 * CEG-ELB-3 read only whole texts before (an account given as a parameter was unresolvable); the
 * DynamoDB and RDS cases keep the verdicts of the rules' own readings that it replaced.
 */

describe('a certificate ARN whose account is a parameter names its service (CEG-ELB-3)', () => {
  const results = runAll(app => {
    const iamStack = envStack(app, 'Iam');
    const iamAccount = new CfnParameter(iamStack, 'Account').valueAsString;
    httpsListener(iamStack, `arn:aws:iam::${iamAccount}:server-certificate/old`);
    const acmStack = envStack(app, 'Acm');
    const acmAccount = new CfnParameter(acmStack, 'Account').valueAsString;
    httpsListener(acmStack, `arn:aws:acm:eu-west-1:${acmAccount}:certificate/0f0e-1234`);
    // An included template's spelling: pseudo parameters and a parameter in an Fn::Sub.
    const subStack = envStack(app, 'Sub');
    new CfnParameter(subStack, 'Account');
    httpsListener(subStack, 'placeholder').addPropertyOverride('Certificates.0.CertificateArn', {
      'Fn::Sub': 'arn:${AWS::Partition}:acm:${AWS::Region}:${Account}:certificate/0f0e-1234',
    });
    // The service itself known only at deploy time: unresolvable.
    const unknownStack = envStack(app, 'Unknown');
    const service = new CfnParameter(unknownStack, 'Service').valueAsString;
    httpsListener(unknownStack, `arn:aws:${service}:eu-west-1:111111111111:certificate/0f0e-1234`);
  }, { services: [RuleService.ELB] });
  test('IAM fails, ACM passes, an unknown service is unresolvable', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Iam/Listener')).toBe('non-compliant');
    expect(verdict(results, 'CEG-ELB-3', 'Acm/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Sub/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Unknown/Listener')).toBe('unresolvable');
  });
});

describe('a replica key ARN in an Fn::Sub with pseudo parameters before its Region (CEG-DDB-2)', () => {
  const build = (stack: Stack) => {
    const table = (id: string, region: string) => {
      const key = new kms.CfnKey(stack, `${id}Key`, { enableKeyRotation: true, multiRegion: true });
      new dynamodb.CfnGlobalTable(stack, id, {
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        billingMode: 'PAY_PER_REQUEST',
        sseSpecification: { sseEnabled: true, sseType: 'KMS' },
        replicas: [
          { region: stack.region, sseSpecification: { kmsMasterKeyId: key.attrArn } },
          { region: 'us-west-2', sseSpecification: { kmsMasterKeyId: Fn.sub(`arn:\${AWS::Partition}:kms:${region}:\${AWS::AccountId}:key/\${Id}`, { Id: key.ref }) } },
        ],
      });
    };
    table('West', 'us-west-2');
    table('East', 'us-east-1');
  };
  const results = runAll(app => {
    build(envStack(app, 'Pinned', 'us-east-1'));
    // Without a Region the partition stays an `${AWS::Partition}` in the ARN's text.
    build(new Stack(app, 'Agnostic'));
  }, { services: [RuleService.DYNAMODB] });
  test('the ARN names the key\'s Region: us-west-2 passes, us-east-1 fails', () => {
    expect(verdict(results, 'CEG-DDB-2', 'Pinned/West')).toBe('pass');
    expect(verdict(results, 'CEG-DDB-2', 'Pinned/East')).toBe('non-compliant');
    expect(verdict(results, 'CEG-DDB-2', 'Agnostic/West')).toBe('pass');
    expect(verdict(results, 'CEG-DDB-2', 'Agnostic/East')).toBe('non-compliant');
  });
});

describe('a read replica whose source ARN is an Fn::Sub naming another Region (CEG-RDS-3)', () => {
  const results = runAll(app => {
    const build = (stack: Stack) => {
      const group = new rds.CfnDBParameterGroup(stack, 'Tls', { family: 'postgres14', description: 'TLS', parameters: { 'rds.force_ssl': '1' } });
      const source = new rds.CfnDBInstance(stack, 'Source', {
        dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', engine: 'postgres', engineVersion: '14.12', storageEncrypted: true, dbParameterGroupName: group.ref,
      });
      new rds.CfnDBInstance(stack, 'Replica', {
        dbInstanceClass: 'db.t4g.micro',
        kmsKeyId: 'alias/rds-replica',
        sourceDbInstanceIdentifier: Fn.sub('arn:aws:rds:us-east-1:${AWS::AccountId}:db:${Id}', { Id: source.ref }),
      });
    };
    build(envStack(app, 'Pinned', 'eu-west-1'));
    build(new Stack(app, 'Agnostic'));
  }, { services: [RuleService.RDS] });
  test('cross-Region (its own default group) where the stack is elsewhere; unknown where the stack has no Region', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Pinned/Replica')).toBe('non-compliant');
    expect(verdict(results, 'CEG-RDS-3', 'Agnostic/Replica')).toBe('unresolvable');
  });
});

describe('an ARN that names the stack\'s Region with AWS::Region, in a stack without a Region (sixteenth red-team pass)', () => {
  const results = runAll(app => {
    const stack = new Stack(app, 'Agnostic');
    // A same-Region read replica named by its source's ARN (CEG-RDS-2, CEG-RDS-3).
    const group = new rds.CfnDBParameterGroup(stack, 'Tls', { family: 'postgres16', description: 'TLS', parameters: { 'rds.force_ssl': '1' } });
    const source = new rds.CfnDBInstance(stack, 'Source', {
      dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', engine: 'postgres', engineVersion: '16.3', storageEncrypted: true, dbParameterGroupName: group.ref,
    });
    new rds.CfnDBInstance(stack, 'Replica', {
      dbInstanceClass: 'db.t4g.micro', engine: 'postgres', sourceDbInstanceIdentifier: `arn:${Aws.PARTITION}:rds:${Aws.REGION}:${Aws.ACCOUNT_ID}:db:${source.ref}`,
    });
    // The replica of the stack's own Region names the app's key by an ARN (CEG-DDB-2).
    const key = new kms.CfnKey(stack, 'Key', { enableKeyRotation: true });
    new dynamodb.CfnGlobalTable(stack, 'Table', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS' },
      replicas: [{ region: Aws.REGION, sseSpecification: { kmsMasterKeyId: `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/${key.ref}` } }],
    });
  }, { services: [RuleService.RDS, RuleService.DYNAMODB] });
  test('the Region is the stack\'s own: the same-Region replica and the key pass (the Region was read as "${AWS")', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Agnostic/Replica')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-3', 'Agnostic/Replica')).toBe('pass');
    expect(verdict(results, 'CEG-DDB-2', 'Agnostic/Table')).toBe('pass');
  });
});

describe('customer managed keys named by ARNs CDK builds with the partition, Region and account (requireCustomerManagedKeys, seventeenth red-team pass)', () => {
  const results = runAll(app => {
    for (const stack of [envStack(app, 'Pinned'), new Stack(app, 'Agnostic')]) {
      const bucket = (id: string, encryptionKey: kms.IKey) =>
        new s3.Bucket(stack, id, { encryption: s3.BucketEncryption.KMS, encryptionKey, enforceSSL: true });
      bucket('Alias', kms.Alias.fromAliasName(stack, 'MyKey', 'alias/my-key'));
      const keyArn = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '1234abcd-12ab-34cd-56ef-1234567890ab' });
      bucket('Formatted', kms.Key.fromKeyArn(stack, 'Imported', keyArn));
      bucket('AwsManaged', kms.Alias.fromAliasName(stack, 'S3Managed', 'alias/aws/s3'));
    }
  }, { services: [RuleService.S3], requireCustomerManagedKeys: true });
  test.each(['Pinned', 'Agnostic'])('%s: a customer alias or key ARN passes (it was unresolvable at error level); alias/aws/s3 fails', stack => {
    expect(verdict(results, 'CEG-S3-1', `${stack}/Alias/Resource`)).toBe('pass');
    expect(verdict(results, 'CEG-S3-1', `${stack}/Formatted/Resource`)).toBe('pass');
    expect(verdict(results, 'CEG-S3-1', `${stack}/AwsManaged/Resource`)).toBe('non-compliant');
  });
});

test('the AWS managed key built into an ARN is named by its alias in the message', () => {
  const app = newApp();
  const stack = new Stack(app, 'Agnostic');
  new s3.Bucket(stack, 'AwsManaged', { encryption: s3.BucketEncryption.KMS, encryptionKey: kms.Alias.fromAliasName(stack, 'S3Managed', 'alias/aws/s3'), enforceSSL: true });
  const finding = EncryptionGate.evaluate(app, { services: [RuleService.S3], requireCustomerManagedKeys: true }).find(f => f.ruleId === 'CEG-S3-1');
  expect(finding?.detail).toMatch(/^The bucket names the AWS managed key alias\/aws\/s3, but requireCustomerManagedKeys asks for a customer managed key$/);
});
