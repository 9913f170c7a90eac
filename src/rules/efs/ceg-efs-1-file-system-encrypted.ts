import { AWS_MANAGED_KEY_ALIASES } from '../../aws/managed-keys';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField, Verdict } from '../../engine/rule';
import { field } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { templateTypeOf } from '../../private/cdk-internals';
import { judgeCustomerManagedKey } from '../customer-managed-keys';

/**
 * CEG-EFS-1: an EFS file system is encrypted at rest (a customer managed key with
 * `requireCustomerManagedKeys`). `Encrypted` defaults to false in CloudFormation and can only be
 * set at creation.
 */
export const fileSystemEncrypted: Rule = {
  id: 'CEG-EFS-1',
  service: RuleService.EFS,
  title: 'EFS file systems are encrypted at rest (with a customer managed key with `requireCustomerManagedKeys`, replicas too)',
  rationale:
    'An EFS file system without `Encrypted: true` stores files and metadata unencrypted, and encryption cannot be turned on later. Without '
    + 'KmsKeyId it uses the AWS managed key aws/elasticfilesystem, whose policy cannot be changed.',
  fix: 'Set `encrypted: true` (and `kmsKey`) on `efs.FileSystem`; on an L1, set `Encrypted: true` and `KmsKeyId`. Changing `Encrypted` or '
    + '`KmsKeyId` replaces the file system: create an encrypted one and copy the data (AWS DataSync, or AWS Backup restore to a new '
    + 'encrypted file system) before switching clients over. A replica gets the key its destination names: '
    + '`efs.ReplicationConfiguration.regionalFileSystem(region, kmsKey)` (or `KmsKeyId` in `ReplicationConfiguration.Destinations`).',
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
      const own = judgeCustomerManagedKey(fileSystem.read('KmsKeyId'), 'The file system', 'Properties.KmsKeyId', AWS_MANAGED_KEY_ALIASES.efs);
      return own === COMPLIANT ? judgeReplicas(fileSystem) : own;
    }
    return COMPLIANT;
  },
};

/**
 * The keys of the file systems it replicates to: a new replica (no `FileSystemId`) is encrypted with
 * its destination's `KmsKeyId`, else with aws/elasticfilesystem of its Region; an existing one keeps
 * its own key (judged on its own when the app defines it).
 */
function judgeReplicas(fileSystem: ResourceView): Verdict {
  const destinations = fileSystem.list('ReplicationConfiguration', 'Destinations');
  if (!destinations.known) {
    return unresolvableField(destinations);
  }
  for (const [i, destination] of (destinations.value ?? []).entries()) {
    const location = `Properties.ReplicationConfiguration.Destinations.${i}`;
    const region = field(destination, 'Region');
    const subject = `Its replica in ${typeof region === 'string' ? region : `Destinations[${i}]`}`;
    const existing = field(destination, 'FileSystemId');
    if (existing !== undefined) {
      // A file system of the app is judged on its own; every other (a literal ID, a parameter's or
      // custom resource's value) has a key this app does not show.
      if (!isResourceReference(existing) || templateTypeOf(existing.target) !== 'AWS::EFS::FileSystem') {
        const shown = isResourceReference(existing) ? existing.toJSON() : JSON.stringify(existing);
        return unresolvable(`${subject} is the existing file system ${shown}, whose key this app does not show`, `${location}.FileSystemId`);
      }
      continue;
    }
    const verdict = judgeCustomerManagedKey(field(destination, 'KmsKeyId'), subject, `${location}.KmsKeyId`, AWS_MANAGED_KEY_ALIASES.efs);
    if (verdict !== COMPLIANT) {
      return verdict;
    }
  }
  return COMPLIANT;
}
