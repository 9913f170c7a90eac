/**
 * What a user reads: every message says how to acknowledge it, an acknowledgement naming no rule
 * is reported, and locations point at what is missing.
 */
import { readFileSync } from 'fs';
import { Aspects, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionChecks, EncryptionGate, EnforceEncryption, FindingLevel } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

test('each message ends with how to acknowledge it on the resource or an ancestor', () => {
  const stack = newStack(newApp());
  new s3.CfnBucket(stack, 'Plain');
  const finding = verdictOn(EncryptionGate.evaluate(stack), 'Stack/Plain', 'CEG-S3-1')!;
  expect(finding.message).toMatch(/To accept it: Validations\.of\(<Stack\/Plain or an ancestor>\)\.acknowledge\(\{ id: 'CEG-S3-1', reason: '\.\.\.' \}\)\.$/);
  // A bucket without a policy: the finding is about the bucket, not about a policy document.
  expect(verdictOn(EncryptionGate.evaluate(stack), 'Stack/Plain', 'CEG-S3-2')!.location).toBe('Properties');
});

test('an acknowledgement that names no rule of the gate is a warning (Aspect and plugin)', () => {
  const app = newApp();
  const stack = newStack(app);
  const bucket = new s3.CfnBucket(stack, 'Plain');
  Validations.of(bucket).acknowledge({ id: 'CEG-S3-9', reason: 'typo' }, { id: 'AwsSolutions-S1', reason: 'not ours' });
  Aspects.of(app).add(new EnforceEncryption({ levels: { 'CEG-S3-1': FindingLevel.WARNING, 'CEG-S3-2': FindingLevel.WARNING } }));
  Validations.of(app).addPlugins(new EncryptionChecks({ ruleIds: ['CEG-EBS-1'] }));
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const assembly = app.synth();
    Annotations.fromStack(stack).hasWarning('/Stack/Plain', Match.stringLikeRegexp('names CEG-S3-9, which is no rule of cdk-encryption-guard'));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-S1'))).toEqual([]);
    const report = JSON.parse(readFileSync(`${assembly.directory}/validation-report.json`, 'utf8'));
    const plugin = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'EncryptionChecks');
    expect(plugin.violations.map((v: { ruleName: string; severity: string }) => `${v.ruleName} ${v.severity}`)).toEqual(['CEG-UNKNOWN-ACKNOWLEDGEMENT warning']);
  } finally {
    printed.mockRestore();
  }
});

test('a failing synthesis lists the warnings along with the errors (one run shows every level)', () => {
  const app = newApp();
  const stack = newStack(app);
  new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'eu-west-1a', size: 1 });
  new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
  Aspects.of(app).add(new EnforceEncryption());
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/CEG-EBS-1: The volume sets no Encrypted/);
  expect(message).toMatch(/Also in this synthesis, 2 warnings \(they do not fail it\):/);
  expect(message).toMatch(/warning on Stack\/Bucket\/Resource: CEG-S3-3: /);
  expect(message).toMatch(/warning on Stack\/Bucket\/Resource: CEG-S3-4: /);
});
