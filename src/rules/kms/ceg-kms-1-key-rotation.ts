import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule, unresolvable } from '../../engine/rule';
import { readBoolean, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const LOCATION = 'Properties.EnableKeyRotation';

/** CEG-KMS-1: a symmetric encryption key rotates its key material. */
export const keyRotation: Rule = {
  id: 'CEG-KMS-1',
  service: RuleService.KMS,
  title: 'Symmetric encryption KMS keys rotate their key material (asymmetric, HMAC and imported keys are not applicable)',
  rationale:
    'Rotation limits how much data one version of key material protects and is required by most frameworks; KMS keeps old '
    + 'versions to decrypt old data, so it costs nothing in availability. Replica keys follow their primary\'s rotation.',
  fix: 'Set `enableKeyRotation: true` (and `rotationPeriod`, 90 to 2560 days) on `kms.Key`, or use `CmkWithPolicy`; on an L1, '
    + 'set `EnableKeyRotation: true`.',
  resourceTypes: ['AWS::KMS::Key'],
  defaultLevel: FindingLevel.ERROR,

  check(key) {
    const spec = readString(key.read('KeySpec'), 'KeySpec');
    const usage = readString(key.read('KeyUsage'), 'KeyUsage');
    const origin = readString(key.read('Origin'), 'Origin');
    if (!spec.known || !usage.known || !origin.known) {
      return unresolvable([spec, usage, origin].map(r => r.known ? '' : r.why).filter(w => w).join('; '), LOCATION);
    }
    const symmetric = (spec.value ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' && (usage.value ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT';
    if (!symmetric || (origin.value !== undefined && origin.value !== 'AWS_KMS')) {
      // Automatic rotation exists only for symmetric keys with KMS-generated material.
      return NOT_APPLICABLE;
    }
    const rotation = readBoolean(key.read('EnableKeyRotation'), 'EnableKeyRotation');
    if (!rotation.known) {
      return unresolvable(rotation.why, LOCATION);
    }
    if (rotation.value === true) {
      return COMPLIANT;
    }
    return nonCompliant(rotation.value === false ? 'The key sets EnableKeyRotation to false' : 'The key sets no EnableKeyRotation, so its key material never rotates', LOCATION);
  },
};
