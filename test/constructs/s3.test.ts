import { CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket, BucketEncryptionChoice, CmkWithPolicy, EncryptedBucket, EncryptionGate, RuleService } from '../../src';
import { newApp, newStack } from '../support/app';

function idOf(construct: { node: { defaultChild?: unknown } }, stack: Stack): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

function bucketPolicy(stack: Stack, bucketId: string): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } });
  return (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
}

describe('EncryptedBucket', () => {
  test('defaults: SSE-KMS with its own customer managed key and bucket keys, SSE-C blocked, private, versioned, retained', () => {
    const stack = newStack(newApp());
    const bucket = new EncryptedBucket(stack, 'Data');
    expect(bucket).toBeInstanceOf(s3.Bucket);
    expect(bucket.encryptionKey).toBeInstanceOf(CmkWithPolicy);
    const template = Template.fromStack(stack);
    const keyId = idOf(bucket.encryptionKey as CmkWithPolicy, stack);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
            BucketKeyEnabled: true,
            BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          }],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });

  test('the bucket policy, statement by statement: TLS only, TLS 1.2+, no other algorithm, key or SSE-C', () => {
    const stack = newStack(newApp());
    const bucket = new EncryptedBucket(stack, 'Data');
    const arn = { 'Fn::GetAtt': [idOf(bucket, stack), 'Arn'] };
    const objects = { 'Fn::Join': ['', [arn, '/*']] };
    const keyArn = { 'Fn::GetAtt': [idOf(bucket.encryptionKey as CmkWithPolicy, stack), 'Arn'] };
    const deny = (extra: object) => ({ Effect: 'Deny', Principal: { AWS: '*' }, ...extra });
    expect(bucketPolicy(stack, idOf(bucket, stack))).toEqual([
      deny({ Action: 's3:*', Resource: [arn, objects], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      deny({ Action: 's3:*', Resource: [arn, objects], Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      deny({
        Sid: 'DenyOtherEncryptionAlgorithm',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { Null: { 's3:x-amz-server-side-encryption': 'false' }, StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
      deny({
        Sid: 'DenyOtherKmsKey',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: {
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [keyArn, { Ref: idOf(bucket.encryptionKey as CmkWithPolicy, stack) }] },
        },
      }),
      deny({
        Sid: 'DenyKmsWithoutBucketKey',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { Null: { 's3:x-amz-server-side-encryption': 'false', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
      }),
      deny({
        Sid: 'DenyCustomerProvidedKeys',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      }),
    ]);
  });

  test('encryption choices: a given key, S3-managed and DSSE-KMS', () => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Shared');
    new EncryptedBucket(stack, 'WithKey', { encryptionKey: key });
    const sseS3 = new EncryptedBucket(stack, 'SseS3', { encryptionChoice: BucketEncryptionChoice.S3_MANAGED });
    const dsse = new EncryptedBucket(stack, 'Dsse', { encryptionChoice: BucketEncryptionChoice.DSSE });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [idOf(key, stack), 'Arn'] } } })] },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }] },
    });
    expect(sseS3.encryptionKey).toBeUndefined();
    expect(bucketPolicy(stack, idOf(sseS3, stack))).toContainEqual(expect.objectContaining({
      Sid: 'DenyOtherKmsKey', Condition: { Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' } },
    }));
    expect(bucketPolicy(stack, idOf(dsse, stack))).toContainEqual(expect.objectContaining({
      Sid: 'DenyOtherEncryptionAlgorithm', Condition: expect.objectContaining({ StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms:dsse' } }),
    }));
    // Bucket keys do not apply to DSSE-KMS: the setting is not emitted there.
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms:dsse' }), BlockedEncryptionTypes: Match.anyValue() }] },
    });
  });

  test('log prefix and key format reach the logging configuration; replication rules replicate KMS-encrypted objects', () => {
    const stack = newStack(newApp());
    const logs = new AccessLogBucket(stack, 'Logs');
    const destination = new EncryptedBucket(stack, 'Replica');
    new EncryptedBucket(stack, 'Data', {
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'data/',
      targetObjectKeyFormat: s3.TargetObjectKeyFormat.partitionedPrefix(s3.PartitionDateSource.EVENT_TIME),
      replicationRules: [{ destination, kmsKey: destination.encryptionKey, priority: 1 }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: idOf(logs, stack) }, LogFilePrefix: 'data/', TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } } },
      ReplicationConfiguration: { Rules: [Match.objectLike({ SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } } })] },
    });
  });

  test('other s3.Bucket props pass through, and TLS 1.3 or a shorter removal can be asked for', () => {
    const stack = newStack(newApp());
    new EncryptedBucket(stack, 'Tuned', {
      bucketName: 'tuned-bucket',
      minimumTLSVersion: 1.3,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ BucketName: 'tuned-bucket', LifecycleConfiguration: Match.anyValue() }) });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: { NumericLessThan: { 's3:TlsVersion': 1.3 } } })]) },
    });
  });

  test('refuses props that weaken it, naming the prop, the value and the fix', () => {
    const stack = newStack(newApp());
    const destination = new EncryptedBucket(stack, 'Destination');
    const cases: Array<[object, RegExp]> = [
      [{ encryptionKey: kms.Alias.fromAliasName(stack, 'AwsS3', 'alias/aws/s3') }, /encryptionKey is the AWS managed key alias\/aws\/s3, which weakens it/],
      [{ encryptionChoice: BucketEncryptionChoice.DSSE, bucketKeyEnabled: true }, /bucketKeyEnabled is true with DSSE.*Bucket Keys do not apply to DSSE-KMS/],
      [{ serverAccessLogs: false, serverAccessLogsPrefix: 'logs/' }, /serverAccessLogs is false, but serverAccessLogsPrefix is set, so it would be dropped/],
      [{ serverAccessLogs: false, serverAccessLogsBucket: destination }, /serverAccessLogs is false, but serverAccessLogsBucket is set.*drop serverAccessLogsBucket/],
      [{ replicationRules: [{ destination, kmsKey: destination.encryptionKey, priority: 1, sseKmsEncryptedObjects: false }] }, /replicationRules\[0\].sseKmsEncryptedObjects is false, so the rule replicates nothing/],
      [{ replicationRules: [{ destination, priority: 1 }] }, /replicationRules\[0\] has no kmsKey/],
      [{ encryption: s3.BucketEncryption.UNENCRYPTED }, /encryption is BucketEncryption.UNENCRYPTED, which weakens it\. A bucket must be encrypted/],
      [{ encryption: s3.BucketEncryption.KMS_MANAGED }, /encryption is BucketEncryption.KMS_MANAGED.*Use encryptionChoice/],
      [{ enforceSSL: false }, /enforceSSL is false, which weakens it/],
      [{ minimumTLSVersion: 1.1 }, /minimumTLSVersion is 1.1, which weakens it\. TLS below 1.2 is deprecated/],
      [{ publicReadAccess: true }, /publicReadAccess is true, which weakens it/],
      [{ blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY }, /blockPublicAccess is not BLOCK_ALL/],
      [{ blockedEncryptionTypes: [s3.BlockedEncryptionType.NONE] }, /blockedEncryptionTypes is without SSE-C/],
      [{ encryptionChoice: BucketEncryptionChoice.S3_MANAGED, encryptionKey: new kms.Key(stack, 'K') }, /encryptionKey is set but encryptionChoice is S3_MANAGED/],
    ];
    cases.forEach(([props, message], i) => expect(() => new EncryptedBucket(stack, `Weak${i}`, props)).toThrow(message));
  });

  test('grants give the key what they need, and nothing more', () => {
    const stack = newStack(newApp());
    const bucket = new EncryptedBucket(stack, 'Data');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    bucket.grantRead(reader);
    bucket.grantPut(writer);
    const keyArn = { 'Fn::GetAtt': [idOf(bucket.encryptionKey as CmkWithPolicy, stack), 'Arn'] };
    const kmsActions = (role: iam.Role) => {
      const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: idOf(role, stack) }] } });
      const statements: any[] = (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
      return statements.filter(s => JSON.stringify(s.Resource) === JSON.stringify(keyArn)).flatMap(s => [s.Action].flat()).sort();
    };
    // DescribeKey (key metadata, no data) is what aws-cdk-lib's own decrypt grant adds.
    expect(kmsActions(reader)).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    expect(kmsActions(writer)).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);
  });

  test('server access logs go to an SSE-S3 AccessLogBucket, or an SSE-KMS bucket whose key lets S3 logging use it', () => {
    const stack = newStack(newApp());
    const logs = new AccessLogBucket(stack, 'Logs');
    const source = new EncryptedBucket(stack, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'data/' });
    const kmsLogs = new EncryptedBucket(stack, 'KmsLogs');
    new EncryptedBucket(stack, 'Other', { serverAccessLogsBucket: kmsLogs });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: idOf(logs, stack) }, LogFilePrefix: 'data/' } });
    expect(bucketPolicy(stack, idOf(logs, stack))).toContainEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(source, stack), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    }));
    const kmsKey = kmsLogs.encryptionKey as CmkWithPolicy;
    const keyStatements: any[] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))
      .map((k: any) => k.Properties.KeyPolicy.Statement).find((s: any[]) => s.some(x => x.Sid === 'AllowS3ServerAccessLogDelivery'))!;
    expect(keyStatements).toContainEqual({
      Sid: 'AllowS3ServerAccessLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
    expect(kmsKey.node.path).toBe('Stack/KmsLogsKey');
  });

  test('by default, server access logs go to the stack\'s shared AccessLogBucket, under partitioned keys; serverAccessLogs: false turns them off', () => {
    const stack = newStack(newApp());
    const first = new EncryptedBucket(stack, 'First');
    new EncryptedBucket(stack, 'Second', { serverAccessLogsPrefix: 'second/' });
    new EncryptedBucket(stack, 'Quiet', { serverAccessLogs: false });
    const shared = AccessLogBucket.shared(stack);
    expect(shared.node.path).toBe('Stack/CegSharedAccessLogs');
    const template = Template.fromStack(stack);
    const buckets = template.findResources('AWS::S3::Bucket');
    const logging = (id: string) => buckets[idOf(stack.node.findChild(id) as s3.Bucket, stack)].Properties.LoggingConfiguration;
    expect(logging('First')).toEqual({ DestinationBucketName: { Ref: idOf(shared, stack) }, TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } } });
    expect(logging('Second')).toEqual({ DestinationBucketName: { Ref: idOf(shared, stack) }, LogFilePrefix: 'second/' });
    expect(logging('Quiet')).toBeUndefined();
    // One shared bucket, retained, with each source bucket allowed by its ARN.
    expect(Object.keys(buckets)).toHaveLength(4);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ BucketEncryption: Match.anyValue() }) });
    expect(bucketPolicy(stack, idOf(shared, stack))).toContainEqual(expect.objectContaining({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(first, stack), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    }));
    expect(template.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' })[idOf(shared, stack)]).toBeDefined();
  });

  test('the shared access-log bucket refuses a construct ID taken by something else', () => {
    const stack = newStack(newApp());
    new s3.Bucket(stack, 'CegSharedAccessLogs');
    expect(() => new EncryptedBucket(stack, 'Data')).toThrow(/construct ID "CegSharedAccessLogs" of stack Stack is taken by a construct that is not an AccessLogBucket/);
  });

  test('a log target encrypted with the AWS managed aws/s3 key is refused; an imported one is a warning', () => {
    const stack = newStack(newApp());
    const awsManaged = new s3.Bucket(stack, 'AwsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED });
    expect(() => new EncryptedBucket(stack, 'Data', { serverAccessLogsBucket: awsManaged }))
      .toThrow(/encrypts with the AWS managed aws\/s3 key, which S3 log delivery cannot use/);
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'central-logs');
    const bucket = new EncryptedBucket(stack, 'Logged', { serverAccessLogsBucket: imported });
    expect(bucket.node.metadata.map(m => String(m.data))).toContainEqual(expect.stringMatching(/central-logs|Imported.*not defined in this app/));
  });

  test('AccessLogBucket: SSE-S3 (for ALB logs too), TLS only, private, versioned, and the log delivery services may write', () => {
    const stack = newStack(newApp());
    const logs = new AccessLogBucket(stack, 'Logs');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    });
    const statements = bucketPolicy(stack, idOf(logs, stack));
    expect(statements.map(s => s.Sid ?? s.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      'AllowS3ServerAccessLogDelivery',
      'AllowLoadBalancerLogDelivery',
    ]);
    expect(statements[3].Principal).toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
    const findings = EncryptionGate.evaluate(stack, { services: [RuleService.S3] });
    expect(findings).toEqual([]);
  });
});

describe('EncryptedBucket with a key imported by its alias', () => {
  test('grants allow, through S3, the keys that carry the alias (aws-cdk-lib grants nothing on an imported alias without a feature flag)', () => {
    const stack = newStack(newApp());
    const bucket = new EncryptedBucket(stack, 'Bucket', { encryptionKey: kms.Alias.fromAliasName(stack, 'Team', 'alias/team-data') });
    bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const kmsStatements = Object.values(statements).flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((st: any) => JSON.stringify(st.Action).includes('kms:'));
    expect(kmsStatements).toEqual([expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Condition: { 'StringEquals': { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/team-data' } },
    })]);
  });
});
