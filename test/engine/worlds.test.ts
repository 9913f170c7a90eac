/**
 * Values as CloudFormation will take them at deploy time: every Fn::If branch, resource
 * conditions, conditions known at synth time, one value per parameter, and the bound.
 */
import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionGate, FindingKind } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

const root = (encrypted: boolean) => ({ launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted } }] } });
const sse = (algorithm: string) => ({ serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: algorithm } }] });

function conditionOn(stack: Stack, id: string, value = 'prod'): CfnCondition {
  const env = (stack.node.tryFindChild('Env') as CfnParameter | undefined) ?? new CfnParameter(stack, 'Env');
  return new CfnCondition(stack, id, { expression: Fn.conditionEquals(env.valueAsString, value) });
}

test('an Auto Scaling group whose launch template is chosen by Fn::If is judged on both branches', () => {
  const stack = newStack(newApp());
  const good = new ec2.CfnLaunchTemplate(stack, 'Good', root(true));
  const bare = new ec2.CfnLaunchTemplate(stack, 'Bare', { launchTemplateData: {} });
  const prod = conditionOn(stack, 'IsProd');
  new autoscaling.CfnAutoScalingGroup(stack, 'Group', {
    minSize: '1',
    maxSize: '1',
    launchTemplate: { launchTemplateId: Fn.conditionIf(prod.logicalId, good.ref, bare.ref).toString(), version: '$Latest' },
  });
  const finding = verdictOn(EncryptionGate.evaluate(stack), 'Stack/Group', 'CEG-EBS-4')!;
  expect(finding.kind).toBe(FindingKind.NON_COMPLIANT);
  expect(finding.detail).toMatch(/^When condition "IsProd" is false: /);
});

test('branches that agree, and conditions over literals, are known at synth time', () => {
  const stack = newStack(newApp());
  const prod = conditionOn(stack, 'IsProd');
  const always = new CfnCondition(stack, 'Always', { expression: Fn.conditionEquals('a', 'a') });
  new s3.CfnBucket(stack, 'Agree', { bucketEncryption: Fn.conditionIf(prod.logicalId, sse('aws:kms'), sse('AES256')) as never });
  new s3.CfnBucket(stack, 'Literal', { bucketEncryption: Fn.conditionIf(always.logicalId, sse('aws:kms'), Fn.ref('AWS::NoValue')) as never });
  new s3.CfnBucket(stack, 'RegionJoin', { bucketEncryption: sse(Fn.join('', ['aws', ':kms'])) });
  const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-S3-1'] });
  expect(findings).toEqual([]);
});

test('a resource whose condition is false does not exist; a parameter equals one value at a time', () => {
  const stack = newStack(newApp());
  const prod = conditionOn(stack, 'IsProd', 'prod');
  const dev = conditionOn(stack, 'IsDev', 'dev');
  const unencrypted = new ec2.CfnVolume(stack, 'OnlyInProd', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true });
  unencrypted.cfnOptions.condition = prod;
  // Prod and dev at once is impossible: the volume is encrypted in prod, and does not exist otherwise.
  new ec2.CfnVolume(stack, 'Both', {
    availabilityZone: 'eu-west-1a',
    size: 1,
    encrypted: Fn.conditionIf(prod.logicalId, true, Fn.conditionIf(dev.logicalId, true, false)) as never,
  }).cfnOptions.condition = new CfnCondition(stack, 'ProdOrDev', { expression: Fn.conditionOr(prod, dev) });
  const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EBS-1'] });
  expect(findings).toEqual([]);
  unencrypted.addPropertyOverride('Encrypted', Fn.conditionIf(dev.logicalId, true, false));
  const again = verdictOn(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EBS-1'] }), 'Stack/OnlyInProd', 'CEG-EBS-1')!;
  expect(again.detail).toMatch(/condition "IsProd" is true/);
});

test('more combinations of conditions than the gate explores is unresolvable, never a pass', () => {
  const stack = newStack(newApp());
  const conditions = Array.from({ length: 8 }, (_, i) => new CfnCondition(stack, `C${i}`, { expression: Fn.conditionEquals(new CfnParameter(stack, `P${i}`).valueAsString, 'x') }));
  const mappings = conditions.map((c, i) => Fn.conditionIf(c.logicalId, { DeviceName: `/dev/sd${i}`, Ebs: { Encrypted: true } }, Fn.ref('AWS::NoValue')));
  new ec2.CfnLaunchTemplate(stack, 'Many', { launchTemplateData: { blockDeviceMappings: mappings as never } });
  const finding = verdictOn(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EBS-2'] }), 'Stack/Many', 'CEG-EBS-2')!;
  expect(finding.kind).toBe(FindingKind.UNRESOLVABLE);
  expect(finding.detail).toMatch(/more than 64 combinations/);
});

test.each([[6, 'judged'], [7, 'unresolvable']])('%i independent conditions are %s: the bound counts combinations, not the judgements that found them', (n, outcome) => {
  const stack = newStack(newApp());
  const conditions = Array.from({ length: n }, (_, i) => new CfnCondition(stack, `C${i}`, { expression: Fn.conditionEquals(new CfnParameter(stack, `P${i}`).valueAsString, 'x') }));
  const mappings = [
    { DeviceName: '/dev/xvda', Ebs: { Encrypted: true } },
    ...conditions.map((c, i) => Fn.conditionIf(c.logicalId, { DeviceName: `/dev/sd${String.fromCharCode(98 + i)}`, Ebs: { Encrypted: true } }, Fn.ref('AWS::NoValue'))),
  ];
  new ec2.CfnLaunchTemplate(stack, 'Many', { launchTemplateData: { blockDeviceMappings: mappings as never } });
  const finding = verdictOn(EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EBS-2'] }), 'Stack/Many', 'CEG-EBS-2');
  if (outcome === 'judged') {
    expect(finding).toBeUndefined();
  } else {
    expect(finding?.kind).toBe(FindingKind.UNRESOLVABLE);
    expect(finding?.detail).toMatch(/more than 64 combinations/);
  }
});
