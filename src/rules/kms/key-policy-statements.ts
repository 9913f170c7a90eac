import { ResourceView } from '../../engine/resource-view';
import { RuleContext } from '../../engine/rule-context';
import { describeIntrinsic, field, intrinsicName, JsonObject, known, Reading, unknown } from '../../engine/values';
import { Statement, statementsOf } from '../../aws/iam-policy';

/** The statements of a key's policy, or `undefined` when it declares none (the default policy). */
export function keyPolicyStatements(context: RuleContext, key: ResourceView): Reading<Statement[] | undefined> {
  return context.memo('kms:statements', key, () => {
    const policy = key.read('KeyPolicy');
    if (policy === undefined) {
      return known(undefined);
    }
    const fn = intrinsicName(policy);
    if (fn !== undefined) {
      return unknown(`KeyPolicy cannot be known at synth time: ${describeIntrinsic(policy as JsonObject, fn)}`);
    }
    const statements = statementsOf(policy);
    if (statements === undefined) {
      return unknown('KeyPolicy.Statement is not a list of statements known at synth time');
    }
    const index = context.indexOf(key.stack);
    for (const statement of statements) {
      const principal = field(statement, 'Principal');
      for (const value of [principal, ...[field(principal, 'AWS')].flat()]) {
        const name = intrinsicName(value);
        const ref = name === 'Ref' ? String((value as JsonObject).Ref) : undefined;
        if (name === 'Fn::If' || name === 'Fn::ImportValue' || name === 'Fn::FindInMap' || (ref !== undefined && index.isParameter(ref))) {
          return unknown(`a principal of the key policy cannot be known at synth time: ${describeIntrinsic(value as JsonObject, name!)}`);
        }
      }
    }
    return known(statements);
  });
}
