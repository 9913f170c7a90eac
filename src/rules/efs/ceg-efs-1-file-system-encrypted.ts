import { AWS_MANAGED_KEY_ALIASES } from '../../aws/managed-keys';
import { COMPLIANT, nonCompliant, Rule, unresolvableField } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';
import { judgeCustomerManagedKey } from '../customer-managed-keys';

/**
 * CEG-EFS-1: an EFS file system is encrypted at rest (a customer managed key with
 * `requireCustomerManagedKeys`). `Encrypted` defaults to false in CloudFormation and can only be
 * set at creation.
 */
export const fileSystemEncrypted: Rule = {
  id: 'CEG-EFS-1',
  service: RuleService.EFS,
  title: 'EFS file systems are encrypted at rest (with a customer managed key with `requireCustomerManagedKeys`)',
  rationale:
    'An EFS file system without `Encrypted: true` stores files and metadata unencrypted, and encryption cannot be turned on later. Without '
    + 'KmsKeyId it uses the AWS managed key aws/elasticfilesystem, whose policy cannot be changed.',
  fix: 'Set `encrypted: true` (and `kmsKey`) on `efs.FileSystem`; on an L1, set `Encrypted: true` and `KmsKeyId`. Changing `Encrypted` or '
    + '`KmsKeyId` replaces the file system: create an encrypted one and copy the data (AWS DataSync, or AWS Backup restore to a new '
    + 'encrypted file system) before switching clients over.',
  resourceTypes: ['AWS::EFS::FileSystem'],
  defaultLevel: FindingLevel.ERROR,

  check(fileSystem, context) {
    const encrypted = fileSystem.boolean('Encrypted');
    if (!encrypted.known) {
      return unresolvableField(encrypted);
    }
    if (encrypted.value !== true) {
      return nonCompliant(`The file system is not encrypted at rest: Encrypted is ${encrypted.value === false ? 'false' : 'not set (CloudFormation\'s default is false)'}`,
        encrypted.location);
    }
    if (context.settings.requireCustomerManagedKeys) {
      return judgeCustomerManagedKey(fileSystem.read('KmsKeyId'), 'The file system', 'Properties.KmsKeyId', AWS_MANAGED_KEY_ALIASES.efs);
    }
    return COMPLIANT;
  },
};
