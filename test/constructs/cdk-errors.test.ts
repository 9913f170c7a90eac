/**
 * aws-cdk-lib writes the code of every CDK error it makes, caught or not, to the file the `cdk` CLI
 * names in CDK_ERROR_FILE (`<outdir>/error.txt`): a passing synthesis must make none, or the file
 * says that it failed (thirty-sixth red-team pass).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AcmFrontedAlb, EncryptedBucket, EncryptedSnapshotCopy, EnvelopeEncryption, RotatingSecret, SecureStringParameter, SnapshotSource } from '../../src';
import { newApp, newStack } from '../support/app';

let dir: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ceg-error-file-'));
  saved = process.env.CDK_ERROR_FILE;
  process.env.CDK_ERROR_FILE = join(dir, 'error.txt');
});
afterEach(() => {
  if (saved === undefined) {
    delete process.env.CDK_ERROR_FILE;
  } else {
    process.env.CDK_ERROR_FILE = saved;
  }
  rmSync(dir, { recursive: true, force: true });
});

const written = () => existsSync(join(dir, 'error.txt')) ? readFileSync(join(dir, 'error.txt'), 'utf8') : 'none';

test('a key known by its alias name (its aliasTargetKey throws): grants, secrets, buckets and parameters make no CDK error', () => {
  const app = newApp();
  const stack = newStack(app);
  const key = kms.Alias.fromAliasName(stack, 'DataKey', 'alias/app-data');
  EnvelopeEncryption.grantReader(key, new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  new RotatingSecret(stack, 'Secret', { encryptionKey: key, hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser() });
  new EncryptedBucket(stack, 'Bucket', { encryptionKey: key });
  new SecureStringParameter(stack, 'Parameter', { parameterName: '/app/token', encryptionKey: key });
  app.synth();
  expect(written()).toBe('none');
});

test('a snapshot copy of an EBS snapshot makes no CDK error (an acknowledgement older releases refuse is asked by version)', () => {
  const app = newApp();
  new EncryptedSnapshotCopy(newStack(app), 'Copy', { source: SnapshotSource.ebsSnapshot('snap-0123456789abcdef0') });
  app.synth();
  expect(written()).toBe('none');
});

test('an AcmFrontedAlb in a zone imported by ID (which has no name to read) synthesizes, making no CDK error', () => {
  const app = newApp();
  const stack = newStack(app);
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  new AcmFrontedAlb(stack, 'Web', { vpc, domainName: 'app.example.com', hostedZone: route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789') })
    .addTargets('App', { port: 8080 });
  Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'app.example.com.', HostedZoneId: 'Z0123456789' });
  expect(written()).toBe('none');
});

test('the file is written for a caught CDK error (what this test would see)', () => {
  const stack = newStack(newApp());
  expect(() => kms.Alias.fromAliasName(stack, 'Key', 'alias/x').aliasTargetKey).toThrow();
  expect(written()).toBe('CannotAccessAliasTargetKey');
});
