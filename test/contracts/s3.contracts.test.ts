import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket, BucketEncryptionChoice, CmkWithPolicy, EncryptedBucket } from '../../src';
import { newApp } from '../support/app';
import { dependencyLoops } from '../support/dependency-loops';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, Decision, deployRole, OTHER_ACCOUNT } from './support/simulator';

/**
 * Authorization contracts of the S3 constructs: uploads to an `EncryptedBucket` are allowed exactly
 * when the object ends under the bucket's key over TLS 1.2 or later; the deploying role, the log
 * delivery services and the grantees get what they need; buckets and log targets in different
 * stacks form no cycle.
 */

const REGION = 'eu-west-1';
const role = (scope: Stack, id: string) => new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

let resolved: ResolvedApp;
let authorizer: Authorizer;
let bucket: { arn: string; keyArn: string; keyId: string };
let dsse: { arn: string; keyArn: string };

beforeAll(() => {
  const app = newApp();
  const env = { account: ACCOUNT, region: REGION };
  const logsStack = new Stack(app, 'Logs', { env });
  const data = new Stack(app, 'Data', { env });
  const apps = new Stack(app, 'Apps', { env });
  const logs = new AccessLogBucket(logsStack, 'AccessLogs');
  // A log target in another stack: its policy must not refer back to the source bucket's stack.
  const uploads = new EncryptedBucket(data, 'Uploads', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'uploads/' });
  new EncryptedBucket(data, 'Dsse', { encryptionChoice: BucketEncryptionChoice.DSSE });
  uploads.grantPut(role(data, 'Writer'));
  uploads.grantRead(role(apps, 'CrossStackReader'));
  uploads.grantRead(role(data, 'SameStackReader'));
  uploads.grantWrite(role(data, 'SameStackWriter'));
  uploads.grantReadWrite(role(apps, 'CrossStackReadWriter'));
  role(apps, 'Ungranted');
  resolved = ResolvedApp.of(app);
  authorizer = new Authorizer(resolved);
  const key = resolved.resource('AWS::KMS::Key', 'UploadsKey', 'Data');
  bucket = { arn: resolved.resource('AWS::S3::Bucket', 'Uploads', 'Data').arn, keyArn: key.arn, keyId: key.arn.split('/').pop()! };
  dsse = { arn: resolved.resource('AWS::S3::Bucket', 'Dsse', 'Data').arn, keyArn: resolved.resource('AWS::KMS::Key', 'DsseKey', 'Data').arn };
});

const roleArn = (stack: string, prefix: string) => resolved.resource('AWS::IAM::Role', prefix, stack).arn;

describe('uploads to an EncryptedBucket: the header matrix, by TLS version', () => {
  const headers = (): Record<string, Record<string, string>> => ({
    'no encryption headers (bucket default)': {},
    'aws:kms with the bucket key ARN': { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': bucket.keyArn },
    'aws:kms with the bucket key ID': { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': bucket.keyId },
    'aws:kms with an alias ARN of the bucket key': {
      's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${REGION}:${ACCOUNT}:alias/uploads`,
    },
    'aws:kms without a key (aws/s3)': { 's3:x-amz-server-side-encryption': 'aws:kms' },
    'aws:kms with another key': {
      's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
    },
    'AES256': { 's3:x-amz-server-side-encryption': 'AES256' },
    'DSSE with the bucket key': { 's3:x-amz-server-side-encryption': 'aws:kms:dsse', 's3:x-amz-server-side-encryption-aws-kms-key-id': bucket.keyArn },
    'DSSE without a key': { 's3:x-amz-server-side-encryption': 'aws:kms:dsse' },
    'SSE-C': { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' },
  });
  const transports: Record<string, Record<string, string>> = {
    'TLS 1.3': { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' },
    'TLS 1.2': { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' },
    'TLS 1.1': { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' },
    'plain HTTP': { 'aws:SecureTransport': 'false' },
  };
  /** The object ends under the bucket's key; alias forms are refused (README: name the key by ARN or ID). */
  const UNDER_BUCKET_KEY = ['no encryption headers (bucket default)', 'aws:kms with the bucket key ARN', 'aws:kms with the bucket key ID'];

  test('PutObject, CopyObject and CreateMultipartUpload (all s3:PutObject) are allowed exactly under the bucket key over TLS >= 1.2', async () => {
    const writer = roleArn('Data', 'Writer');
    const calls = Object.fromEntries(Object.entries(headers()).flatMap(([h, hs]) => Object.entries(transports).map(([t, ts]) => [`${h} / ${t}`, {
      principal: writer, action: 's3:PutObject', resource: `${bucket.arn}/reports/a.csv`, context: { ...ts, ...hs },
    }])));
    const decisions = await authorizer.decideAll(calls);
    const expected = Object.fromEntries(Object.keys(calls).map(label => {
      const [h, t] = label.split(' / ');
      const ok = UNDER_BUCKET_KEY.includes(h) && (t === 'TLS 1.3' || t === 'TLS 1.2');
      return [label, (ok ? 'Allowed' : 'ExplicitlyDenied') as Decision];
    }));
    expect(decisions).toEqual(expected);
  });

  test('a DSSE bucket takes only aws:kms:dsse with its key, or no headers', async () => {
    const writer = `arn:aws:iam::${ACCOUNT}:role/DsseWriter`;
    const put = (context: Record<string, string>) => ({ principal: writer, action: 's3:PutObject', resource: `${dsse.arn}/a`, context, identityPolicies: [ALLOW_ALL] });
    expect(await authorizer.decideAll({
      none: put({}),
      dsseWithKey: put({ 's3:x-amz-server-side-encryption': 'aws:kms:dsse', 's3:x-amz-server-side-encryption-aws-kms-key-id': dsse.keyArn }),
      dsseWithoutKey: put({ 's3:x-amz-server-side-encryption': 'aws:kms:dsse' }),
      kmsWithKey: put({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': dsse.keyArn }),
    })).toEqual({ none: 'Allowed', dsseWithKey: 'Allowed', dsseWithoutKey: 'ExplicitlyDenied', kmsWithKey: 'ExplicitlyDenied' });
  });
});

describe('an EncryptedBucket whose encryptionKey is an alias of a key of this library', () => {
  test('uploads naming the alias\'s target key by key ARN or key ID are allowed; the alias, aws/s3 and another key are denied', async () => {
    const app = newApp();
    const stack = new Stack(app, 'Aliased', { env: { account: ACCOUNT, region: REGION } });
    const key = new CmkWithPolicy(stack, 'OrdersKey');
    const aliased = new EncryptedBucket(stack, 'Orders', { encryptionKey: key.addAlias('alias/orders'), serverAccessLogs: false });
    aliased.grantPut(role(stack, 'OrdersWriter'));
    const aliasedApp = ResolvedApp.of(app);
    const keyArn = aliasedApp.resource('AWS::KMS::Key', 'OrdersKey', 'Aliased').arn;
    const objects = `${aliasedApp.resource('AWS::S3::Bucket', 'Orders', 'Aliased').arn}/orders/1.json`;
    const put = (headers: Record<string, string>) => ({
      principal: aliasedApp.resource('AWS::IAM::Role', 'OrdersWriter', 'Aliased').arn,
      action: 's3:PutObject',
      resource: objects,
      context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2', ...headers },
    });
    const kmsWith = (keyId: string) => put({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': keyId });
    expect(await new Authorizer(aliasedApp).decideAll({
      noHeaders: put({}),
      keyArn: kmsWith(keyArn),
      keyId: kmsWith(keyArn.split('/').pop()!),
      aliasArn: kmsWith(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/orders`),
      aliasName: kmsWith('alias/orders'),
      awsManaged: put({ 's3:x-amz-server-side-encryption': 'aws:kms' }),
      foreignKey: kmsWith(`arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`),
    })).toEqual({
      noHeaders: 'Allowed',
      keyArn: 'Allowed',
      keyId: 'Allowed',
      aliasArn: 'ExplicitlyDenied',
      aliasName: 'ExplicitlyDenied',
      awsManaged: 'ExplicitlyDenied',
      foreignKey: 'ExplicitlyDenied',
    });
  });
});

describe('inventories of an EncryptedBucket into an EncryptedBucket under a key of this library', () => {
  test('S3 may write the inventory files with the destination\'s key, for this account\'s buckets only; the template has no loop', async () => {
    const app = newApp();
    const reportsStack = new Stack(app, 'Reports', { env: { account: ACCOUNT, region: REGION } });
    const reports = new EncryptedBucket(reportsStack, 'Reports', { serverAccessLogs: false });
    new EncryptedBucket(reportsStack, 'Local', { serverAccessLogs: false, inventories: [{ destination: { bucket: reports, prefix: 'inv' } }] });
    new EncryptedBucket(reportsStack, 'Other', { serverAccessLogs: false }).addInventory({ destination: { bucket: reports, prefix: 'other' } });
    // Naming the source bucket in the key policy made key -> source -> destination -> key a loop.
    expect(dependencyLoops(app.synth().getStackByName('Reports').template)).toEqual([]);
    const inventoried = ResolvedApp.of(app);
    const key = inventoried.resource('AWS::KMS::Key', 'ReportsKey', 'Reports').arn;
    const arnOf = (id: string) => inventoried.resource('AWS::S3::Bucket', id, 'Reports').arn;
    const generate = (sourceArn: string, sourceAccount = ACCOUNT, principal = 's3.amazonaws.com') => ({
      principal, action: 'kms:GenerateDataKey', resource: key, context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
    });
    expect(await new Authorizer(inventoried).decideAll({
      local: generate(arnOf('Local')),
      other: generate(arnOf('Other')),
      otherAccount: generate('arn:aws:s3:::someone-elses-bucket', OTHER_ACCOUNT),
      otherService: generate(arnOf('Local'), ACCOUNT, 'logging.s3.amazonaws.com'),
      decrypt: { ...generate(arnOf('Local')), action: 'kms:Decrypt' },
    })).toEqual({ local: 'Allowed', other: 'Allowed', otherAccount: 'ImplicitlyDenied', otherService: 'ImplicitlyDenied', decrypt: 'ImplicitlyDenied' });
  });

  test('a destination in another stack is refused: aws-cdk-lib\'s bucket policy would refer to the source across templates', () => {
    const app = newApp();
    const env = { account: ACCOUNT, region: REGION };
    const reports = new EncryptedBucket(new Stack(app, 'Reports', { env }), 'Reports', { serverAccessLogs: false });
    const orders = new EncryptedBucket(new Stack(app, 'Orders', { env }), 'Orders', { serverAccessLogs: false });
    expect(() => orders.addInventory({ destination: { bucket: reports } }))
      .toThrow(/inventory destination Reports\/Reports is in another stack than bucket Orders\/Orders; .*Put the destination bucket in this stack, or import it into this stack with s3\.Bucket\.fromBucketAttributes\(\{ bucketArn, encryptionKey \}\)/);
    // Imported that way, the destination's key still lets S3 encrypt the inventory files.
    const imported = s3.Bucket.fromBucketAttributes(orders.stack, 'ImportedReports', { bucketArn: reports.bucketArn, encryptionKey: reports.encryptionKey });
    orders.addInventory({ destination: { bucket: imported } });
    const keyPolicy = Template.fromStack(reports.stack).findResources('AWS::KMS::Key');
    expect(JSON.stringify(keyPolicy)).toContain('AllowS3InventoryDelivery');
  });
});

describe('grants, services and the deploying role', () => {
  test('grantRead to a role of another stack: reads objects and decrypts through S3; others are denied', async () => {
    const reader = roleArn('Apps', 'CrossStackReader');
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
    expect(await authorizer.decideAll({
      get: { principal: reader, action: 's3:GetObject', resource: `${bucket.arn}/a` },
      decrypt: { principal: reader, action: 'kms:Decrypt', resource: bucket.keyArn, context: viaS3 },
      put: { principal: reader, action: 's3:PutObject', resource: `${bucket.arn}/a` },
      encrypt: { principal: reader, action: 'kms:GenerateDataKey', resource: bucket.keyArn, context: viaS3 },
      ungranted: { principal: roleArn('Apps', 'Ungranted'), action: 'kms:Decrypt', resource: bucket.keyArn, context: viaS3 },
      otherAccount: { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/R`, action: 's3:GetObject', resource: `${bucket.arn}/a`, identityPolicies: [ALLOW_ALL] },
      anonymous: { principal: 'anonymous', action: 's3:GetObject', resource: `${bucket.arn}/a` },
    })).toEqual({
      get: 'Allowed',
      decrypt: 'Allowed',
      put: 'ImplicitlyDenied',
      encrypt: 'ImplicitlyDenied',
      ungranted: 'ImplicitlyDenied',
      otherAccount: 'ImplicitlyDenied',
      anonymous: 'ImplicitlyDenied',
    });
  });

  test.each([
    ['grantRead, same stack', 'Data', 'SameStackReader', { read: true, write: false }],
    ['grantRead, another stack', 'Apps', 'CrossStackReader', { read: true, write: false }],
    ['grantWrite, same stack', 'Data', 'SameStackWriter', { read: false, write: true }],
    ['grantReadWrite, another stack', 'Apps', 'CrossStackReadWriter', { read: true, write: true }],
  ])('%s: the grantee uses the key only through S3 (kms:ViaService), never directly', async (_label, stack, id, may) => {
    const principal = roleArn(stack, id);
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
    const expected = (allowed: boolean): Decision => (allowed ? 'Allowed' : 'ImplicitlyDenied');
    expect(await authorizer.decideAll({
      get: { principal, action: 's3:GetObject', resource: `${bucket.arn}/a` },
      decryptViaS3: { principal, action: 'kms:Decrypt', resource: bucket.keyArn, context: viaS3 },
      put: { principal, action: 's3:PutObject', resource: `${bucket.arn}/a` },
      generateViaS3: { principal, action: 'kms:GenerateDataKey', resource: bucket.keyArn, context: viaS3 },
      directDecrypt: { principal, action: 'kms:Decrypt', resource: bucket.keyArn },
      directGenerate: { principal, action: 'kms:GenerateDataKey', resource: bucket.keyArn },
      decryptViaOtherService: { principal, action: 'kms:Decrypt', resource: bucket.keyArn, context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
    })).toEqual({
      get: expected(may.read),
      // Writers decrypt too: S3 decrypts the data key of a multipart upload to complete it (aws-cdk-lib's KEY_WRITE_ACTIONS).
      decryptViaS3: expected(may.read || may.write),
      put: expected(may.write),
      generateViaS3: expected(may.write),
      directDecrypt: 'ImplicitlyDenied',
      directGenerate: 'ImplicitlyDenied',
      decryptViaOtherService: 'ImplicitlyDenied',
    });
  });

  test('the grantee\'s own IAM policy carries the condition too: its kms statements name kms:ViaService s3', () => {
    for (const [stack, id] of [['Data', 'SameStackReader'], ['Apps', 'CrossStackReader'], ['Data', 'SameStackWriter'], ['Apps', 'CrossStackReadWriter']]) {
      const statements = authorizer.identityPoliciesOf(roleArn(stack, id)).flatMap((p: any) => p.Statement);
      const kmsStatements = statements.filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
      expect(kmsStatements.length).toBeGreaterThan(0);
      for (const st of kmsStatements) {
        expect([id, st.Condition?.StringEquals?.['kms:ViaService']]).toEqual([id, `s3.${REGION}.amazonaws.com`]);
      }
    }
  });

  test('S3 server access logging and ELB log delivery may write to the AccessLogBucket, for this account only', async () => {
    const logs = resolved.resource('AWS::S3::Bucket', 'AccessLogs', 'Logs').arn;
    const fromUs = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': bucket.arn };
    expect(await authorizer.decideAll({
      s3Logging: { principal: 'logging.s3.amazonaws.com', action: 's3:PutObject', resource: `${logs}/uploads/2026-01-01`, context: fromUs },
      s3LoggingForOtherAccount: {
        principal: 'logging.s3.amazonaws.com',
        action: 's3:PutObject',
        resource: `${logs}/uploads/x`,
        context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': 'arn:aws:s3:::theirs' },
      },
      elb: { principal: 'logdelivery.elasticloadbalancing.amazonaws.com', action: 's3:PutObject', resource: `${logs}/AWSLogs/${ACCOUNT}/elb.log`, context: { 'aws:SourceAccount': ACCOUNT } },
      elbOtherAccountPath: { principal: 'logdelivery.elasticloadbalancing.amazonaws.com', action: 's3:PutObject', resource: `${logs}/AWSLogs/${OTHER_ACCOUNT}/elb.log` },
    })).toEqual({ s3Logging: 'Allowed', s3LoggingForOtherAccount: 'ImplicitlyDenied', elb: 'Allowed', elbOtherAccountPath: 'ImplicitlyDenied' });
  });

  test('the deploying role may configure and delete the buckets over TLS', async () => {
    const actions = ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutEncryptionConfiguration', 's3:PutBucketVersioning',
      's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:PutBucketLogging', 's3:PutBucketTagging', 's3:DeleteBucket'];
    const decisions = await authorizer.decideAll(Object.fromEntries(actions.map(action => [action, {
      principal: deployRole(REGION), action, resource: bucket.arn, identityPolicies: [ALLOW_ALL], context: { 's3:TlsVersion': '1.2' },
    }])));
    expect(decisions).toEqual(Object.fromEntries(actions.map(a => [a, 'Allowed'])));
  });

  test('no cycle: the log target\'s stack and the key\'s stack refer to no stack that refers to them', () => {
    expect(JSON.stringify(resolved.stack('Logs').template)).not.toContain('Fn::ImportValue');
    expect(JSON.stringify(resolved.stack('Data').template)).not.toContain('"Apps:');
  });
});
