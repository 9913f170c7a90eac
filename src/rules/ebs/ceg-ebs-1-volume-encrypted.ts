import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { isPresent, readBoolean } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { isEncryptedCopy } from '../encrypted-copies';

const LOCATION = 'Properties.Encrypted';

/** CEG-EBS-1: an EBS volume is encrypted. */
export const volumeEncrypted: Rule = {
  id: 'CEG-EBS-1',
  service: RuleService.EBS,
  title: 'EBS volumes are encrypted',
  rationale:
    'An unencrypted volume, and every snapshot taken from it, stores data in the clear. Encryption can only be chosen when '
    + 'the volume is created: changing `Encrypted` later replaces the volume.',
  fix: 'Set `encrypted: true` on `ec2.Volume` (with `encryptionKey` for a customer managed key), or `Encrypted: true` on `AWS::EC2::Volume`.',
  resourceTypes: ['AWS::EC2::Volume'],
  defaultLevel: FindingLevel.ERROR,

  check(volume) {
    const encrypted = readBoolean(volume.read('Encrypted'), 'Encrypted');
    if (!encrypted.known) {
      return unresolvable(encrypted.why, LOCATION);
    }
    if (encrypted.value === true) {
      return COMPLIANT;
    }
    if (encrypted.value === undefined && isEncryptedCopy(volume.read('SnapshotId'))) {
      return COMPLIANT;
    }
    if (encrypted.value === undefined && isPresent(volume.read('SnapshotId'))) {
      return unresolvable('The volume sets no Encrypted and is created from a snapshot, whose encryption it inherits; set Encrypted: true to be sure', LOCATION);
    }
    return nonCompliant(encrypted.value === false ? 'The volume sets Encrypted to false' : 'The volume sets no Encrypted', LOCATION);
  },
};
