import { instanceEncryption } from './storage-encryption';
import { encryptionVerdict } from './verdict';
import { Rule } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/**
 * CEG-RDS-2: a DB instance's storage is encrypted: declared for a standalone instance, inherited
 * for a read replica (cross-Region: with a key in its Region), for a restore (from its snapshot or
 * source) and for an Aurora member (from its cluster).
 */
export const instanceStorageEncrypted: Rule = {
  id: 'CEG-RDS-2',
  service: RuleService.RDS,
  title: 'RDS DB instances encrypt their storage (read replicas through their source, Aurora members through their cluster)',
  rationale:
    'Encryption at rest covers the instance\'s storage, backups, snapshots and replicas, and can only be chosen at creation. '
    + 'A replica inherits its source\'s encryption (cross-Region it needs a key in its own Region); an Aurora instance its cluster\'s. '
    + 'cdk-nag judges the replica\'s own property and treats every Aurora instance as compliant.',
  fix: 'Set `storageEncrypted: true` (and `storageEncryptionKey`) on `rds.DatabaseInstance`, or `StorageEncrypted: true` on '
    + '`AWS::RDS::DBInstance`; for a replica, encrypt its source (and give a cross-Region replica a `KmsKeyId` in its Region); '
    + 'for an Aurora instance, encrypt the cluster; a restored instance (`DBSnapshotIdentifier`, point in time) takes its source\'s '
    + 'encryption whatever `StorageEncrypted` and `KmsKeyId` say: restore from an encrypted copy (`EncryptedSnapshotCopy`).',
  resourceTypes: ['AWS::RDS::DBInstance'],
  defaultLevel: FindingLevel.ERROR,

  check(db, context) {
    return encryptionVerdict(instanceEncryption(context, db), 'The DB instance\'s');
  },
};
