import { isResourceReference } from '../../engine/reference-resolver';
import { readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../rule';

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
    if (!secret.has('KmsKeyId')) {
      return nonCompliant('The secret sets no KmsKeyId, so it is encrypted with the AWS managed key aws/secretsmanager', 'Properties.KmsKeyId');
    }
    const raw = secret.read('KmsKeyId');
    if (isResourceReference(raw)) {
      // A key (or alias) defined in the app is customer managed.
      return COMPLIANT;
    }
    const key = readString(raw, 'KmsKeyId');
    if (!key.known) {
      return unresolvable(key.why, 'Properties.KmsKeyId');
    }
    if (key.value !== undefined && /alias\/aws\/secretsmanager$/.test(key.value)) {
      return nonCompliant('The secret names the AWS managed key alias/aws/secretsmanager', 'Properties.KmsKeyId');
    }
    return COMPLIANT;
  },
};
