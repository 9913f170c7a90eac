import { literalTextOf } from '../../aws/literal-text';
import { isAwsManagedKeyAlias } from '../../aws/managed-keys';
import { isResourceReference } from '../../engine/resource-reference';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField, Verdict } from '../../engine/rule';
import { field, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { aliasIn, appKeyIn, keyIdentifierText, PARTITION_ALIAS } from '../customer-managed-keys';

/** CEG-SM-1: a secret is encrypted with a customer managed key. */
export const secretCustomerManagedKey: Rule = {
  id: 'CEG-SM-1',
  service: RuleService.SECRETS_MANAGER,
  title: 'Secrets are encrypted with a customer managed KMS key',
  rationale:
    'Without KmsKeyId a secret uses the AWS managed key aws/secretsmanager: its policy cannot be changed, so use of the secret cannot '
    + 'be limited by key policy or shared with another account, and the key cannot be disabled in an incident.',
  fix: 'Use `RotatingSecret` (it creates a `CmkWithPolicy`), or set `encryptionKey` on `secretsmanager.Secret`; on an L1, set `KmsKeyId`.',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  defaultLevel: FindingLevel.ERROR,

  check(secret) {
    const own = judgeKey(secret.read('KmsKeyId'), 'The secret', 'Properties.KmsKeyId');
    if (own !== COMPLIANT) {
      return own;
    }
    const replicas = secret.list('ReplicaRegions');
    if (!replicas.known) {
      return unresolvableField(replicas);
    }
    for (const [i, replica] of (replicas.value ?? []).entries()) {
      const region = field(replica, 'Region');
      const verdict = judgeKey(field(replica, 'KmsKeyId'), `Its replica in ${typeof region === 'string' ? region : `ReplicaRegions[${i}]`}`,
        `Properties.ReplicaRegions.${i}.KmsKeyId`);
      if (verdict !== COMPLIANT) {
        return verdict;
      }
    }
    return COMPLIANT;
  },
};

/** The verdict on one `KmsKeyId` (of the secret or one of its replicas). */
function judgeKey(value: unknown, subject: string, location: string): Verdict {
  if (value === undefined || value === '') {
    return nonCompliant(`${subject} sets no KmsKeyId, so it is encrypted with the AWS managed key aws/secretsmanager`, location);
  }
  if (appKeyIn(value) !== undefined) {
    // A key or alias defined in the app (also an alias ARN built around one) is customer managed.
    return COMPLIANT;
  }
  // A key ID, key ARN or alias spelled out at synth time, also one CDK builds with the partition,
  // Region and account (`key.addAlias`, `Alias.fromAliasName`, `formatArn`): only `alias/aws/...`
  // names an AWS managed key.
  const literal = keyIdentifierText(value);
  if (literal !== undefined) {
    return isAwsManagedKeyAlias(literal) ? nonCompliant(`${subject} names the AWS managed key ${aliasIn(literal)}`, location) : COMPLIANT;
  }
  if (literalTextOf(value) !== undefined) {
    return unresolvable(PARTITION_ALIAS(subject), location);
  }
  if (isResourceReference(value)) {
    // A parameter's value or a custom resource's attribute may name aws/secretsmanager.
    return unresolvable(`${subject}'s KmsKeyId is ${value.toJSON()}, which is not a KMS key or alias of this app, so only the deployment tells `
      + 'whether it names a customer managed key', location);
  }
  const key = readString(value, 'KmsKeyId');
  if (!key.known) {
    return unresolvable(key.why, location);
  }
  return COMPLIANT;
}
