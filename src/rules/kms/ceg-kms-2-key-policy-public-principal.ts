import { keyPolicyStatements } from './key-policy-statements';
import { admitsStrangers, describeStatement } from '../../aws/iam-policy';
import { partitionOf } from '../../aws/key-resources';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

const LOCATION = 'Properties.KeyPolicy';

/** CEG-KMS-2: no key policy statement allows every principal without a condition that limits who. */
export const keyPolicyPublicPrincipal: Rule = {
  id: 'CEG-KMS-2',
  service: RuleService.KMS,
  title: 'Key policies do not allow every principal ("*") without a condition that limits who',
  rationale:
    'A key policy is the root of trust for everything encrypted with the key. `"Principal": "*"` without a condition such as '
    + '`kms:CallerAccount` or `aws:PrincipalOrgID` lets any AWS account use (or manage) the key; `kms:ViaService` or '
    + '`aws:PrincipalIsAWSService` alone does not limit who, since every account can call through a service and every service acts '
    + 'for any account.',
  fix: 'Name the principals (roles, accounts) in the statement, or add a condition that limits who, or a Deny for every principal '
    + 'outside your account or organization; `CmkWithPolicy` refuses such statements.',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  defaultLevel: FindingLevel.ERROR,

  check(key, context) {
    const statements = keyPolicyStatements(context, key);
    if (!statements.known) {
      return unresolvable(statements.why, LOCATION);
    }
    const all = statements.value ?? [];
    // The policy's Denies for everyone take an Allow away from the strangers they refuse.
    const partition = partitionOf(key.stack);
    const open = all.filter(s => admitsStrangers(s, all, partition) === true);
    if (open.length === 0) {
      const unclear = all.filter(s => admitsStrangers(s, all, partition) === undefined);
      return unclear.length === 0 ? COMPLIANT
        : unresolvable(`Whether the key policy's ${unclear.map(s => describeStatement(s, all)).join(', ')} admits other accounts depends on values known only at deploy time`, LOCATION);
    }
    const names = open.map(s => describeStatement(s, all)).join(', ');
    return nonCompliant(`The key policy's ${names} allows every principal ("*") under conditions a caller of another account can meet`, LOCATION);
  },
};
