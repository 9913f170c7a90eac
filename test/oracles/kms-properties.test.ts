/**
 * Property-based: every key generated over the props space synthesizes, passes our gate, and has
 * no KMS finding from cdk-nag (AwsSolutions, NIST 800-53 R5, PCI DSS 3.2.1), from the Control
 * Tower controls CT.KMS.PR.1 and CT.KMS.PR.3, and no error from CDK's built-in validator; and no
 * unacknowledged finding at all on the keys from the four cdk-nag packs and the Control Tower controls.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { nagViolations, oracleApp, relevant, templateOracles, unacknowledgedFindings } from './oracles';
import { CmkWithPolicy, CmkWithPolicyProps, EncryptionGate, MultiRegionKey } from '../../src';

const keyProps = fc.record({
  administrators: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  keyUsers: fc.integer({ min: 0, max: 3 }),
  requireMfaForDecrypt: fc.boolean(),
  crossAccountIds: fc.subarray(['222222222222', '333333333333']),
  viaServices: fc.subarray(['s3', 'rds', 'secretsmanager', 'ec2', 'dynamodb']),
  rotationDays: fc.integer({ min: 90, max: 2560 }),
  pendingDays: fc.integer({ min: 7, max: 30 }),
  alias: fc.boolean(),
  multiRegion: fc.boolean(),
});

test('generated keys pass our gate and the third-party oracles', () => {
  fc.assert(fc.property(fc.array(keyProps, { minLength: 2, maxLength: 4 }), keys => {
    const app = oracleApp();
    const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'eu-west-1' } });
    let roles = 0;
    const newRoles = (n: number) => Array.from({ length: n }, () =>
      new iam.Role(stack, `Role${roles++}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    keys.forEach((k, i) => {
      const props: CmkWithPolicyProps = {
        administrators: k.administrators === undefined ? undefined : newRoles(k.administrators),
        keyUsers: newRoles(k.keyUsers),
        requireMfaForDecrypt: k.requireMfaForDecrypt,
        crossAccountIds: k.crossAccountIds,
        viaServices: k.viaServices,
        rotationPeriod: Duration.days(k.rotationDays),
        pendingWindow: Duration.days(k.pendingDays),
        alias: k.alias ? `key-${i}` : undefined,
      };
      return k.multiRegion ? new MultiRegionKey(stack, `Key${i}`, props) : new CmkWithPolicy(stack, `Key${i}`, props);
    });

    // The roles are the user's; everything else is the keys'.
    expect(unacknowledgedFindings(app, p => !/^Keys\/Role\d+\//.test(p))).toEqual([]);
    expect(EncryptionGate.evaluate(app)).toEqual([]);
    expect(nagViolations(app).filter(v => /KMS/.test(v.rule))).toEqual([]);
  }), { numRuns: 5 });
});

test('the oracles are wired: they flag a weak key and an out-of-range property', () => {
  const app = oracleApp();
  const stack = new Stack(app, 'Weak', { env: { account: '111111111111', region: 'eu-west-1' } });
  new kms.Key(stack, 'NoRotation');
  new kms.CfnKey(stack, 'OutOfRange', { pendingWindowInDays: 3, enableKeyRotation: true });
  const fromTemplates = templateOracles(app);
  expect(relevant(fromTemplates, /CT\.KMS\.PR\.1\b/).flatMap(v => v.paths)).toContain('Weak/NoRotation/Resource');
  expect(fromTemplates.filter(v => /CloudFormation/i.test(v.plugin) && /error|fatal/.test(v.severity)).flatMap(v => v.paths)).toContain('Weak/OutOfRange');
  expect(nagViolations(app).filter(v => /KMS/.test(v.rule)).flatMap(v => v.paths)).toContain('Weak/NoRotation/Resource');
  expect(EncryptionGate.evaluate(app).map(f => `${f.ruleId} ${f.constructPath}`)).toContain('CEG-KMS-1 Weak/NoRotation/Resource');
});
