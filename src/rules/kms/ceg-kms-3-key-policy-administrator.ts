import { keyPolicyStatements } from './key-policy-statements';
import { hasAdministrator } from '../../aws/key-administrators';
import { partitionOf } from '../../aws/key-resources';
import { environmentOf } from '../../engine/environments';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/** CEG-KMS-3: some principal can manage the key (change its policy), so it cannot be locked out. */
export const keyPolicyAdministrator: Rule = {
  id: 'CEG-KMS-3',
  service: RuleService.KMS,
  title: 'Key policies keep an administrator (a principal allowed kms:PutKeyPolicy)',
  rationale:
    'If no principal may change the key policy, nobody can repair it: the key, and the data it protects, become unmanageable '
    + 'and only AWS Support can help. A key without KeyPolicy gets the default policy, which keeps the account as administrator.',
  fix: 'Keep a statement that allows the key administrators (by default the account root principal) `kms:PutKeyPolicy` and the other '
    + 'administrative actions; `CmkWithPolicy` always keeps one.',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  defaultLevel: FindingLevel.ERROR,

  check(key, context) {
    const statements = keyPolicyStatements(context, key);
    if (!statements.known) {
      return unresolvable(statements.why, 'Properties.KeyPolicy');
    }
    // The stack's account, when it names one, tells whether a literal account in the policy is the key's own.
    const administrator = statements.value === undefined ? true
      : hasAdministrator(statements.value, environmentOf(key.stack).account, partitionOf(key.stack));
    if (administrator === undefined) {
      return unresolvable('Whether some principal may still change the key policy depends on a value known only at deploy time', 'Properties.KeyPolicy');
    }
    if (administrator) {
      return COMPLIANT;
    }
    return nonCompliant('No principal keeps kms:PutKeyPolicy (none is allowed it, or a Deny takes it from every one), so the key would be locked out', 'Properties.KeyPolicy');
  },
};
