/**
 * Property-based: every EncryptedBucket generated over its props passes our gate and has no S3
 * encryption or TLS finding from cdk-nag (AwsSolutions-S10, S3DefaultEncryptionKMS and
 * S3BucketSSLRequestsOnly of NIST 800-53 R5 and PCI DSS 3.2.1), from the Control Tower controls
 * CT.S3.PR.8 and CT.S3.PR.10, and no error from the built-in validator. Buckets the user chose
 * SSE-S3 for are judged by the SSE-S3 rules: the user acknowledges their KMS findings.
 *
 * Beyond encryption: no unacknowledged finding at all from the four cdk-nag packs and the Control
 * Tower controls, except those that stay the user's choice (USER_CHOICES, the README table), and
 * except server access logging on the buckets whose logs the user turned off, where it must appear.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { nagViolations, oracleApp, relevant, ruleOf, templateOracles, unacknowledgedFindings } from './oracles';
import { AccessLogBucket, BucketEncryptionChoice, CmkWithPolicy, EncryptedBucket, EncryptionGate } from '../../src';

const TEMPLATE_RULES = /CT\.S3\.PR\.(8|10)\b/;
const NAG_RULES = /-S10$|S3DefaultEncryptionKMS|S3BucketSSLRequestsOnly/;

/** SSE-S3 is a deliberate choice here: the KMS-only controls are acknowledged, with the reason. */
function acknowledgeSseS3(bucket: IConstruct, reason: string): void {
  Validations.of(bucket).acknowledge(
    { id: 'HIPAA.Security-S3DefaultEncryptionKMS', reason },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason },
    { id: 'PCI.DSS.321-S3DefaultEncryptionKMS', reason },
    { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason },
  );
}

function isDsseKmsFinding(v: { rule: string; paths: string[] }, dssePaths: string[]): boolean {
  return /S3DefaultEncryptionKMS/.test(v.rule) && v.paths.every(p => dssePaths.includes(p));
}

const bucketProps = fc.record({
  choice: fc.constantFrom(BucketEncryptionChoice.KMS, BucketEncryptionChoice.S3_MANAGED, BucketEncryptionChoice.DSSE),
  sharedKey: fc.boolean(),
  minimumTLSVersion: fc.constantFrom(undefined, 1.2, 1.3),
  versioned: fc.constantFrom(undefined, true, false),
  logs: fc.constantFrom('shared', 'own', 'off'),
  expireDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: undefined }),
  objectOwnership: fc.constantFrom(undefined, s3.ObjectOwnership.BUCKET_OWNER_ENFORCED),
});

test('generated buckets pass our gate and the third-party oracles', () => {
  fc.assert(fc.property(fc.array(bucketProps, { minLength: 2, maxLength: 4 }), buckets => {
    const app = oracleApp();
    const stack = new Stack(app, 'Buckets', { env: { account: '111111111111', region: 'eu-west-1' } });
    const logs = new AccessLogBucket(stack, 'Logs');
    const shared = new CmkWithPolicy(stack, 'SharedKey');
    const dsse: string[] = [];
    const optedOut: Array<[string, string[]]> = [];
    buckets.forEach((b, i) => {
      const bucket = new EncryptedBucket(stack, `Bucket${i}`, {
        encryptionChoice: b.choice,
        encryptionKey: b.sharedKey && b.choice !== BucketEncryptionChoice.S3_MANAGED ? shared : undefined,
        minimumTLSVersion: b.minimumTLSVersion,
        versioned: b.versioned,
        serverAccessLogsBucket: b.logs === 'own' ? logs : undefined,
        serverAccessLogs: b.logs === 'off' ? false : undefined,
        lifecycleRules: b.expireDays ? [{ expiration: Duration.days(b.expireDays) }] : undefined,
        objectOwnership: b.objectOwnership,
      });
      if (b.choice === BucketEncryptionChoice.S3_MANAGED) {
        acknowledgeSseS3(bucket, 'SSE-S3 chosen for this bucket');
      }
      if (b.choice === BucketEncryptionChoice.DSSE) {
        dsse.push((bucket.node.defaultChild as s3.CfnBucket).node.path);
      }
      const path = (bucket.node.defaultChild as s3.CfnBucket).node.path;
      if (b.logs === 'off') {
        optedOut.push([path, ['S1', 'S3BucketLoggingEnabled', 's3_bucket_logging_enabled_check']]);
      }
      if (b.versioned === false) {
        optedOut.push([path, ['S3BucketVersioningEnabled', 's3_bucket_versioning_enabled_check']]);
      }
    });

    const findings = unacknowledgedFindings(app, () => true);
    expect(relevant(findings, TEMPLATE_RULES)).toEqual([]);
    // What the user turned off, the checkers report: no acknowledgement of ours hides it.
    const found = new Set(findings.filter(v => !isDsseKmsFinding(v, dsse)).flatMap(v => v.paths.map(p => `${ruleOf(v)} ${p}`)));
    expect(found).toEqual(new Set(optedOut.flatMap(([path, rules]) => rules.map(r => `${r} ${path}`))));
    expect(EncryptionGate.evaluate(app).filter(f => !f.acknowledged)).toEqual([]);
    // Where cdk-nag is wrong: its S3DefaultEncryptionKMS accepts only "aws:kms", but DSSE-KMS
    // ("aws:kms:dsse") encrypts twice, with a KMS key (Control Tower's CT.S3.PR.10 accepts it).
    const nag = nagViolations(app).filter(v => NAG_RULES.test(v.rule));
    const [onDsse, others] = [nag.filter(v => isDsseKmsFinding(v, dsse)), nag.filter(v => !isDsseKmsFinding(v, dsse))];
    expect(others).toEqual([]);
    expect(new Set(onDsse.flatMap(v => v.paths))).toEqual(new Set(dsse));
  }), { numRuns: 5 });
});

test('the S3 oracles are wired: they flag a plain bucket', () => {
  const app = oracleApp();
  const stack = new Stack(app, 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
  new s3.Bucket(stack, 'Bucket');
  const path = 'Plain/Bucket/Resource';
  expect(relevant(templateOracles(app), TEMPLATE_RULES).flatMap(v => v.paths)).toContain(path);
  expect(nagViolations(app).filter(v => NAG_RULES.test(v.rule)).flatMap(v => v.paths)).toContain(path);
  expect(EncryptionGate.evaluate(app).map(f => f.constructPath)).toContain(path);
});
