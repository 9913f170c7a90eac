import { App, CfnCondition, CfnParameter, Fn, Mixin, Mixins } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { CmkWithPolicy } from '../../src';
import { envStack } from '../gate-semantics/harness';

/**
 * Red-team pass 43: a mixin (or any write to `CfnKey.keyPolicy`) that gives a CmkWithPolicy's L1
 * another policy is checked by the construct's validation like an escape hatch (it re-checked only
 * the document it built).
 */
class SetKeyPolicy extends Mixin {
  constructor(private readonly policy: unknown) { super(); }
  supports(c: IConstruct) { return kms.CfnKey.isCfnKey(c); }
  applyTo(c: IConstruct) { (c as kms.CfnKey).keyPolicy = this.policy; }
}

test('a mixin that locks the key out: the construct\'s own validation fails synthesis', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = envStack(app);
  new CmkWithPolicy(stack, 'Key');
  Mixins.of(stack).apply(new SetKeyPolicy({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/App' }, Action: 'kms:Decrypt', Resource: '*' }],
  }));
  const template = () => app.synth().getStackByName(stack.stackName).template;
  expect(template).toThrow(/lets no principal manage the key.*given to Stack\/Key\/Resource directly/s);
});

test('a mixin that opens the key to everyone: the construct\'s own validation fails synthesis', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = envStack(app);
  new CmkWithPolicy(stack, 'Key');
  Mixins.of(stack).apply(new SetKeyPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] }));
  expect(() => app.synth()).toThrow(/every principal/);
});

test('a mixin that keeps the construct\'s own document: nothing to say', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = envStack(app);
  const key = new CmkWithPolicy(stack, 'Key');
  Mixins.of(stack).apply(new SetKeyPolicy((key.node.defaultChild as kms.CfnKey).keyPolicy));
  expect(() => app.synth()).not.toThrow();
});

test('a policy given as Fn::If of two documents (pass 44): left to the gate, which judges each branch; no false lockout', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = envStack(app);
  const prod = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Env').valueAsString, 'prod') });
  new CmkWithPolicy(stack, 'Key');
  const admin = (who: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::111111111111:${who}` }, Action: 'kms:*', Resource: '*' }],
  });
  Mixins.of(stack).apply(new SetKeyPolicy(Fn.conditionIf(prod.logicalId, admin('root'), admin('role/Admin'))));
  expect(() => app.synth()).not.toThrow();
});
