import { FindingLevel, RuleService } from '../../gate/levels';
import { describeStatement, publicStatements } from '../../aws/iam-policy';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../rule';
import { keyPolicyStatements } from './key-policy-statements';

const LOCATION = 'Properties.KeyPolicy';

/** CEG-KMS-2: no key policy statement allows every principal without a condition that limits who. */
export const keyPolicyPublicPrincipal: Rule = {
  id: 'CEG-KMS-2',
  service: RuleService.KMS,
  title: 'Key policies do not allow every principal ("*") without a condition that limits who',
  rationale:
    'A key policy is the root of trust for everything encrypted with the key. `"Principal": "*"` without a condition such as '
    + '`kms:CallerAccount`, `aws:PrincipalOrgID` or `kms:ViaService` lets any AWS account use (or manage) the key.',
  fix: 'Name the principals (roles, accounts) in the statement, or add a condition that limits who; `CmkWithPolicy` refuses such statements.',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  defaultLevel: FindingLevel.ERROR,

  check(key, context) {
    const statements = keyPolicyStatements(context, key);
    if (!statements.known) {
      return unresolvable(statements.why, LOCATION);
    }
    const open = publicStatements(statements.value ?? []);
    if (open.length === 0) {
      return COMPLIANT;
    }
    const names = open.map(s => describeStatement(s, statements.value!)).join(', ');
    return nonCompliant(`The key policy's ${names} allows every principal ("*") without a condition that limits who`, LOCATION);
  },
};
