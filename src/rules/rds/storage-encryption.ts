import { isCrossRegion } from './replica-region';
import { ResourceView } from '../../engine/resource-view';
import { TargetSpec, MemoKey, RuleContext } from '../../engine/rule-context';
import { isPresent, readBoolean } from '../../engine/values';
import { isEncryptedCopy } from '../encrypted-copies';

const RDS_INSTANCE_MEMO = new MemoKey<DbEncryption>('rds:instance');
const RDS_CLUSTER_MEMO = new MemoKey<DbEncryption>('rds:cluster');

/** Whether a database's storage is encrypted, as far as the app tells. */
export type DbEncryption =
  | { readonly state: 'encrypted' }
  | { readonly state: 'unencrypted'; readonly reason: string; readonly location: string }
  | { readonly state: 'unknown'; readonly why: string; readonly location: string };

const ENCRYPTED: DbEncryption = { state: 'encrypted' };

const DB_INSTANCE: TargetSpec = {
  types: ['AWS::RDS::DBInstance'],
  nameProperty: 'DBInstanceIdentifier',
  arnResource: 'db',
  noun: 'source DB instance',
};

const DB_CLUSTER: TargetSpec = {
  types: ['AWS::RDS::DBCluster'],
  nameProperty: 'DBClusterIdentifier',
  arnResource: 'cluster',
  noun: 'DB cluster',
};

/**
 * The storage encryption of a DB instance: an Aurora member's comes from its cluster, a read
 * replica's (or point-in-time restore's) from its source, a restore's from its snapshot or backup,
 * every other from `StorageEncrypted`. Memoized, so a chain of replicas is read once.
 */
export function instanceEncryption(context: RuleContext, db: ResourceView, seen: Set<ResourceView> = new Set()): DbEncryption {
  return context.memo(RDS_INSTANCE_MEMO, db, () => {
    if (seen.has(db)) {
      return { state: 'unknown', why: `the replication chain through ${db.displayName} is a cycle`, location: 'Properties.SourceDBInstanceIdentifier' };
    }
    seen.add(db);
    const engine = db.read('Engine');
    if (typeof engine === 'string' && engine.toLowerCase().startsWith('custom-')) {
      // RDS Custom instances are always encrypted (Amazon RDS User Guide, RDS Custom requirements).
      return ENCRYPTED;
    }
    if (db.has('DBClusterIdentifier')) {
      return memberEncryption(context, db);
    }
    if (db.has('SourceDBInstanceIdentifier')) {
      // A read replica, or (with RestoreTime or UseLatestRestorableTime) a point-in-time restore.
      return replicaEncryption(context, db, seen);
    }
    if (db.has('SourceDBClusterIdentifier')) {
      // A read replica of a Multi-AZ DB cluster (same Region only): its storage is the cluster's copy.
      const location = 'Properties.SourceDBClusterIdentifier';
      const cluster = context.target(db, ['SourceDBClusterIdentifier'], { ...DB_CLUSTER, noun: 'source DB cluster' });
      return !cluster.known ? { state: 'unknown', why: cluster.why, location }
        : inherit(clusterEncryption(context, cluster.value), () => `it is a read replica of DB cluster ${cluster.value.displayName}, whose encryption it inherits`, location);
    }
    const restore = INSTANCE_RESTORES.find(p => isPresent(db.read(p)));
    return restore === undefined ? declaredEncryption(db) : instanceRestoreEncryption(context, db, restore, seen);
  });
}

/**
 * Where a restored DB instance comes from. CloudFormation sends neither StorageEncrypted nor
 * KmsKeyId with RestoreDBInstanceFromDBSnapshot or RestoreDBInstanceToPointInTime (the
 * rds.generated.d.ts docs: "The value is inherited from the snapshot", "... from the source DB
 * instance automated backup"), so only the source decides.
 */
const INSTANCE_RESTORES = ['DBSnapshotIdentifier', 'DBClusterSnapshotIdentifier', 'SourceDbiResourceId', 'SourceDBInstanceAutomatedBackupsArn'];

/** Where a restored or cloned DB cluster comes from (point-in-time restore, clone, snapshot). */
const CLUSTER_RESTORES = ['SourceDBClusterIdentifier', 'SourceDbClusterResourceId', 'SnapshotIdentifier'];

function instanceRestoreEncryption(context: RuleContext, db: ResourceView, restore: string, seen: Set<ResourceView>): DbEncryption {
  const location = `Properties.${restore}`;
  const source = db.read(restore);
  if (isEncryptedCopy(source)) {
    // An EncryptedSnapshotCopy of the app exists only once it is encrypted.
    return ENCRYPTED;
  }
  if (restore === 'SourceDbiResourceId') {
    // A point-in-time restore of an instance of the app (its DbiResourceId) follows that instance.
    const found = context.target(db, [restore], { types: ['AWS::RDS::DBInstance'], noun: 'source DB instance' });
    if (found.known) {
      return inherit(instanceEncryption(context, found.value, seen),
        () => `it is restored to a point in time from ${found.value.displayName}, whose encryption it inherits`, location);
    }
    return { state: 'unknown', why: `it is restored to a point in time from SourceDbiResourceId and inherits that instance's encryption, but ${found.why}`, location };
  }
  return {
    state: 'unknown',
    why: `it is restored from ${restore}${declaredOnRestore(db, ' without StorageEncrypted')}, so the snapshot or backup decides its encryption `
      + '(a restored DB instance takes it from its source: RDS ignores StorageEncrypted and KmsKeyId on a restore); '
      + 'restore from an encrypted copy of the snapshot (EncryptedSnapshotCopy, or CopyDBSnapshot with a KmsKeyId)',
    location,
  };
}

/** The storage encryption of a DB cluster (Aurora or Multi-AZ). */
export function clusterEncryption(context: RuleContext, cluster: ResourceView): DbEncryption {
  return context.memo(RDS_CLUSTER_MEMO, cluster, () => {
    const restore = CLUSTER_RESTORES.find(p => isPresent(cluster.read(p)));
    const mode = cluster.read('EngineMode');
    if (typeof mode === 'string' && mode.toLowerCase() === 'serverless' && (restore !== undefined || !cluster.has('StorageEncrypted'))) {
      // Aurora Serverless v1 clusters are always encrypted, restored ones too.
      return ENCRYPTED;
    }
    return restore === undefined ? declaredEncryption(cluster) : clusterRestoreEncryption(context, cluster, restore);
  });
}

/**
 * A restored or cloned cluster: CloudFormation passes KmsKeyId, never StorageEncrypted, to
 * RestoreDBClusterFromSnapshot and RestoreDBClusterToPointInTime. With a KmsKeyId the cluster is
 * encrypted with it (a point-in-time restore of an unencrypted cluster with a key is rejected);
 * without one it takes its source's encryption ("If you specify both the StorageEncrypted and
 * SnapshotIdentifier properties without specifying the KmsKeyId property, then the restored DB
 * cluster inherits the encryption settings from the DB snapshot").
 */
function clusterRestoreEncryption(context: RuleContext, cluster: ResourceView, restore: string): DbEncryption {
  const location = `Properties.${restore}`;
  if (isPresent(cluster.read('KmsKeyId')) || isEncryptedCopy(cluster.read(restore))) {
    return ENCRYPTED;
  }
  if (restore === 'SnapshotIdentifier') {
    return {
      state: 'unknown',
      why: `it is restored from SnapshotIdentifier without a KmsKeyId${declaredOnRestore(cluster)}, so it takes the snapshot's encryption; `
        + 'set KmsKeyId (storageEncryptionKey on DatabaseClusterFromSnapshot) to encrypt the restored cluster with that key',
      location,
    };
  }
  // A point-in-time restore or clone keeps its source's encryption.
  const found = context.target(cluster, [restore], restore === 'SourceDBClusterIdentifier'
    ? { ...DB_CLUSTER, noun: 'source DB cluster' }
    : { types: DB_CLUSTER.types, noun: 'source DB cluster' });
  if (!found.known) {
    return { state: 'unknown', why: `it is restored from ${restore} without a KmsKeyId, so it inherits its source's encryption, and ${found.why}`, location };
  }
  return inherit(clusterEncryption(context, found.value),
    () => `it is restored from DB cluster ${found.value.displayName} without a KmsKeyId${declaredOnRestore(cluster)}, so it inherits its encryption`, location);
}

/** Words for a StorageEncrypted that a restore ignores, so that the message names it. */
function declaredOnRestore(db: ResourceView, absent = ''): string {
  const declared = db.read('StorageEncrypted');
  if (declared === undefined) {
    return absent;
  }
  const shown = typeof declared === 'boolean' || typeof declared === 'string' ? ` ${declared}` : '';
  return `, where StorageEncrypted${shown} does not decide`;
}

function memberEncryption(context: RuleContext, db: ResourceView): DbEncryption {
  const cluster = context.target(db, ['DBClusterIdentifier'], DB_CLUSTER);
  if (!cluster.known) {
    return { state: 'unknown', why: cluster.why, location: 'Properties.DBClusterIdentifier' };
  }
  return inherit(clusterEncryption(context, cluster.value),
    () => `it is a member of DB cluster ${cluster.value.displayName}, whose storage encryption it takes`, 'Properties.DBClusterIdentifier');
}

function replicaEncryption(context: RuleContext, db: ResourceView, seen: Set<ResourceView>): DbEncryption {
  const location = 'Properties.SourceDBInstanceIdentifier';
  const found = context.target(db, ['SourceDBInstanceIdentifier'], DB_INSTANCE);
  if (!found.known) {
    return { state: 'unknown', why: found.why, location };
  }
  const inherited = inherit(instanceEncryption(context, found.value, seen),
    () => `it is a read replica of ${found.value.displayName}, whose encryption it inherits`, location);
  if (inherited.state !== 'encrypted') {
    return inherited;
  }
  const crossRegion = isCrossRegion(db, db.read('SourceDBInstanceIdentifier'), found.value);
  if (!crossRegion.known) {
    return { state: 'unknown', why: crossRegion.why, location };
  }
  if (crossRegion.value && !isPresent(db.read('KmsKeyId'))) {
    return {
      state: 'unencrypted',
      reason: `it is a cross-Region read replica of the encrypted ${found.value.displayName} and sets no KmsKeyId; `
        + 'a KMS key is Regional, so the replica needs a key in its own Region (a MultiRegionKey replica works)',
      location: 'Properties.KmsKeyId',
    };
  }
  return ENCRYPTED;
}

/** Explains an inherited state in terms of the resource that inherits it (worded only when needed). */
function inherit(from: DbEncryption, relation: () => string, location: string): DbEncryption {
  switch (from.state) {
    case 'encrypted':
      return from;
    case 'unencrypted':
      return { state: 'unencrypted', reason: `${relation()}, and that is not encrypted (${from.reason})`, location };
    case 'unknown':
      return { state: 'unknown', why: `${relation()}, and that cannot be known (${from.why})`, location };
  }
}

/** `StorageEncrypted` as declared, for a database created empty (not restored, not a replica). */
function declaredEncryption(db: ResourceView): DbEncryption {
  const location = 'Properties.StorageEncrypted';
  const storage = readBoolean(db.read('StorageEncrypted'), 'StorageEncrypted');
  if (!storage.known) {
    return { state: 'unknown', why: storage.why, location };
  }
  if (storage.value === true) {
    return ENCRYPTED;
  }
  return {
    state: 'unencrypted',
    reason: storage.value === false ? 'StorageEncrypted is false' : 'StorageEncrypted is not set',
    location,
  };
}
