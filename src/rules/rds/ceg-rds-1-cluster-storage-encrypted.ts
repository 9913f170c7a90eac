import { clusterEncryption } from './storage-encryption';
import { encryptionVerdict } from './verdict';
import { Rule } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/** CEG-RDS-1: a DB cluster (Aurora or Multi-AZ) encrypts its storage. */
export const clusterStorageEncrypted: Rule = {
  id: 'CEG-RDS-1',
  service: RuleService.RDS,
  title: 'RDS DB clusters (Aurora and Multi-AZ) encrypt their storage',
  rationale:
    'A cluster\'s storage, its automated backups and snapshots are encrypted only if the cluster is created encrypted: '
    + '`StorageEncrypted` cannot be changed later without replacing the cluster. Aurora instances take it from their cluster.',
  fix: 'Set `storageEncrypted: true` (and `storageEncryptionKey` for a customer managed key) on `rds.DatabaseCluster`, '
    + 'or `StorageEncrypted: true` on `AWS::RDS::DBCluster`. For an existing cluster: snapshot, copy the snapshot with a KMS key, restore. '
    + 'A restore or clone (`SnapshotIdentifier`, `SourceDBClusterIdentifier`) takes its source\'s encryption unless it has a `KmsKeyId` '
    + '(`storageEncryptionKey` on `rds.DatabaseClusterFromSnapshot`).',
  resourceTypes: ['AWS::RDS::DBCluster'],
  defaultLevel: FindingLevel.ERROR,

  check(cluster, context) {
    return encryptionVerdict(clusterEncryption(context, cluster), 'The cluster\'s');
  },
};
