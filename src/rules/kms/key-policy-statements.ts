import { Statement, statementsOf } from '../../aws/iam-policy';
import { asList } from '../../aws/json';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { MemoKey, RuleContext } from '../../engine/rule-context';
import { field, intrinsicName, JsonObject, known, Reading, unknown, whyUnknown } from '../../engine/values';

const KEY_POLICY_STATEMENTS = new MemoKey<Reading<Statement[] | undefined>>('kms:statements');

/** The statements of a key's policy, or `undefined` when it declares none (the default policy). */
export function keyPolicyStatements(context: RuleContext, key: ResourceView): Reading<Statement[] | undefined> {
  return context.memo(KEY_POLICY_STATEMENTS, key, () => {
    const policy = key.object('KeyPolicy');
    if (!policy.known || policy.value === undefined) {
      return policy.known ? known(undefined) : policy;
    }
    const statements = statementsOf(policy.value);
    if (statements === undefined) {
      return unknown('KeyPolicy.Statement is not a list of statements known at synth time');
    }
    for (const statement of statements) {
      for (const principal of principalValues(statement)) {
        if (mayBeEveryone(principal)) {
          return unknown(whyUnknown(principal, 'a principal of the key policy'));
        }
      }
    }
    return known(statements);
  });
}

/**
 * Every principal value a statement names that could be an account or everyone (`"*"`, ARNs,
 * references); a service principal is a service whatever its spelling (`logs.${AWS::Region}.amazonaws.com`).
 */
function principalValues(statement: Statement): unknown[] {
  const principal = field(statement, 'Principal') ?? field(statement, 'NotPrincipal');
  if (principal === undefined || typeof principal === 'string') {
    return principal === undefined ? [] : [principal];
  }
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal) || isResourceReference(principal)) {
    return [principal];
  }
  return Object.entries(principal).filter(([kind]) => kind.toLowerCase() !== 'service').flatMap(([, v]) => asList(v));
}

/**
 * Whether a principal known only at deploy time might turn out to be `*`: a parameter or an import
 * might; an ARN joined around literals (`arn:${AWS::Partition}:iam::...`) or an attribute of a
 * resource cannot.
 */
function mayBeEveryone(principal: unknown): boolean {
  if (typeof principal === 'string' || isResourceReference(principal)) {
    return false;
  }
  const fn = intrinsicName(principal);
  const args = fn === undefined ? undefined : (principal as JsonObject)[fn];
  switch (fn) {
    case 'Fn::GetAtt':
      return false;
    case 'Fn::Join':
      return !(Array.isArray(args) && Array.isArray(args[1]) && args[1].some(p => typeof p === 'string' && p.includes(':')));
    case 'Fn::Sub':
      return !(typeof (Array.isArray(args) ? args[0] : args) === 'string' && String(Array.isArray(args) ? args[0] : args).includes(':'));
    default:
      return true;
  }
}
