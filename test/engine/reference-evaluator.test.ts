/**
 * Property-based: random templates built from a grammar of intrinsics around encryption
 * properties. The gate's verdict must equal that of a small reference evaluator that expands
 * every assignment of the conditions and judges each concrete template, and the gate never throws.
 */
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { EncryptionGate, FindingKind } from '../../src';
import { newApp, newStack } from '../support/app';

const CONDITIONS = ['C0', 'C1', 'C2'];
const NO_VALUE = { Ref: 'AWS::NoValue' };

/** Values of one property: literals, a parameter, AWS::NoValue, and intrinsics around them. */
function valueOf(leaves: unknown[]): fc.Arbitrary<unknown> {
  const { tree } = fc.letrec<{ tree: unknown; node: unknown }>(tie => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...leaves), tie('node')),
    node: fc.oneof(
      fc.tuple(fc.constantFrom(...CONDITIONS), tie('tree'), tie('tree')).map(([c, a, b]) => ({ 'Fn::If': [c, a, b] })),
      fc.tuple(fc.nat({ max: 2 }), fc.array(fc.constantFrom(...leaves.filter(l => l !== NO_VALUE)), { minLength: 3, maxLength: 3 }))
        .map(([i, list]) => ({ 'Fn::Select': [i, list] })),
    ),
  }));
  return tree;
}

type Outcome = 'compliant' | 'non-compliant' | 'unresolvable';

/** The reference: a concrete template in one assignment, then CloudFormation's own reading. */
function concrete(value: unknown, truth: { [c: string]: boolean }): unknown {
  if (Array.isArray(value)) {
    return value.map(v => concrete(v, truth)).filter(v => v !== NO_VALUE);
  }
  if (typeof value === 'object' && value !== null) {
    if ('Fn::If' in value) {
      const [c, a, b] = (value as { 'Fn::If': [string, unknown, unknown] })['Fn::If'];
      return concrete(truth[c] ? a : b, truth);
    }
    if ('Fn::Select' in value) {
      const [i, list] = (value as { 'Fn::Select': [number, unknown[]] })['Fn::Select'];
      return concrete(list[i], truth);
    }
  }
  return value;
}

function reference(resourceCondition: string | undefined, value: unknown, judge: (v: unknown) => Outcome): Outcome | 'absent' {
  const outcomes: Outcome[] = [];
  for (let n = 0; n < 2 ** CONDITIONS.length; n++) {
    // Assignment n: condition i is true when bit i of n is set.
    const truth = Object.fromEntries(CONDITIONS.map((c, i) => [c, Math.floor(n / 2 ** i) % 2 === 1]));
    if (resourceCondition !== undefined && !truth[resourceCondition]) {
      continue;
    }
    outcomes.push(judge(concrete(value, truth)));
  }
  if (outcomes.length === 0) {
    return 'absent';
  }
  return outcomes.includes('non-compliant') ? 'non-compliant' : outcomes.includes('unresolvable') ? 'unresolvable' : 'compliant';
}

const PARAMETER = { Ref: 'Unknown' };

const judgeEncrypted = (v: unknown): Outcome => v === true || v === 'true' ? 'compliant'
  : v === false || v === 'false' || v === NO_VALUE || v === undefined ? 'non-compliant' : 'unresolvable';

const judgeAlgorithm = (v: unknown): Outcome => v === 'aws:kms' || v === 'AES256' ? 'compliant'
  : typeof v === 'object' && v !== null && v !== NO_VALUE ? 'unresolvable' : 'non-compliant';

const cases = fc.array(fc.record({
  kind: fc.constantFrom('volume', 'bucket'),
  condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined }),
  volume: valueOf([true, false, 'true', 'false', PARAMETER, NO_VALUE]),
  algorithm: valueOf(['aws:kms', 'AES256', 'none', PARAMETER, NO_VALUE]),
}), { minLength: 1, maxLength: 6 });

test('the gate agrees with a reference evaluator that expands every condition assignment', () => {
  fc.assert(fc.property(cases, resources => {
    const stack = newStack(newApp());
    new CfnParameter(stack, 'Unknown').overrideLogicalId('Unknown');
    CONDITIONS.forEach((c, i) => new CfnCondition(stack, c, { expression: Fn.conditionEquals(new CfnParameter(stack, `P${i}`).valueAsString, 'yes') }).overrideLogicalId(c));
    const expected = new Map<string, Outcome | 'absent'>();
    resources.forEach((r, i) => {
      const id = `R${i}`;
      const resource = r.kind === 'volume'
        ? new ec2.CfnVolume(stack, id, { availabilityZone: 'eu-west-1a', size: 1 })
        : new s3.CfnBucket(stack, id);
      if (r.kind === 'volume') {
        resource.addPropertyOverride('Encrypted', r.volume);
      } else {
        resource.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration', [{ ServerSideEncryptionByDefault: { SSEAlgorithm: r.algorithm } }]);
      }
      if (r.condition !== undefined) {
        resource.cfnOptions.condition = stack.node.findChild(r.condition) as CfnCondition;
      }
      expected.set(`Stack/${id}`, reference(r.condition, r.kind === 'volume' ? r.volume : r.algorithm, r.kind === 'volume' ? judgeEncrypted : judgeAlgorithm));
    });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-EBS-1', 'CEG-S3-1'] });
    for (const [path, outcome] of expected) {
      const found = findings.filter(f => f.constructPath === path);
      const actual = found.length === 0 ? 'compliant' : found[0].kind === FindingKind.NON_COMPLIANT ? 'non-compliant' : 'unresolvable';
      expect({ path, verdict: actual }).toEqual({ path, verdict: outcome === 'absent' ? 'compliant' : outcome });
    }
  }), { numRuns: 150 });
});
