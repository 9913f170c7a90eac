import { keyPolicyStatements } from './key-policy-statements';
import { describeStatement, unrestrictedCreateGrantStatements } from '../../aws/iam-policy';
import { partitionOf } from '../../aws/key-resources';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/** CEG-KMS-4: kms:CreateGrant is allowed only for grants to AWS resources. */
export const keyPolicyCreateGrant: Rule = {
  id: 'CEG-KMS-4',
  service: RuleService.KMS,
  title: 'Key policies allow kms:CreateGrant only with kms:GrantIsForAWSResource (or through a service, kms:ViaService)',
  rationale:
    'A grant gives its grantee use of the key outside the key policy. Limited to `kms:GrantIsForAWSResource`, only integrated '
    + 'services (EBS, RDS, ...) create grants on a caller\'s behalf; otherwise a principal can hand the key to anyone. The default '
    + 'key policy (account root: kms:*) does not limit it.',
  fix: 'Give `kms:CreateGrant` only in statements with the condition `Bool: { kms:GrantIsForAWSResource: true }` (`CmkWithPolicy` does, '
    + 'and adds a Deny for the rest).',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  defaultLevel: FindingLevel.WARNING,

  check(key, context) {
    const statements = keyPolicyStatements(context, key);
    if (!statements.known) {
      return unresolvable(statements.why, 'Properties.KeyPolicy');
    }
    if (statements.value === undefined) {
      return nonCompliant('The key declares no KeyPolicy, so CloudFormation gives it the default policy, in which the account may do kms:* (CreateGrant included) through IAM', 'Properties.KeyPolicy');
    }
    const loose = unrestrictedCreateGrantStatements(statements.value, partitionOf(key.stack));
    if (loose.length === 0) {
      return COMPLIANT;
    }
    return nonCompliant(`The key policy's ${loose.map(s => describeStatement(s, statements.value!)).join(', ')} allows kms:CreateGrant without kms:GrantIsForAWSResource`, 'Properties.KeyPolicy');
  },
};
