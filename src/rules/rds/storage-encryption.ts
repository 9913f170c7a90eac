import { Token } from 'aws-cdk-lib';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { TargetSpec, MemoKey, RuleContext } from '../../engine/rule-context';
import { intrinsicName, isObject, isPresent, JsonObject, known, readBoolean, Reading, readString, unknown } from '../../engine/values';
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
 * replica's (or point-in-time restore's) from its source, a restore from a snapshot without
 * `StorageEncrypted` from the snapshot (unknown), any other from `StorageEncrypted`. Memoized, so a
 * chain of replicas is read once.
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
      return replicaEncryption(context, db, seen);
    }
    return declaredEncryption(db, ['DBSnapshotIdentifier', 'SourceDBInstanceAutomatedBackupsArn', 'SourceDbiResourceId']);
  });
}

/** The storage encryption of a DB cluster (Aurora or Multi-AZ). */
export function clusterEncryption(context: RuleContext, cluster: ResourceView): DbEncryption {
  return context.memo(RDS_CLUSTER_MEMO, cluster, () => {
    const storage = readBoolean(cluster.read('StorageEncrypted'), 'StorageEncrypted');
    if (storage.known && storage.value === undefined) {
      const mode = cluster.read('EngineMode');
      if (typeof mode === 'string' && mode.toLowerCase() === 'serverless') {
        // Aurora Serverless v1 clusters are always encrypted.
        return ENCRYPTED;
      }
      if (cluster.has('KmsKeyId') && (cluster.has('SourceDBClusterIdentifier') || cluster.has('SnapshotIdentifier'))) {
        // A restore or clone given a KmsKeyId is encrypted with that key, whatever its source.
        return ENCRYPTED;
      }
      if (cluster.has('SourceDBClusterIdentifier')) {
        // A point-in-time restore or clone keeps its source's encryption.
        const found = context.target(cluster, ['SourceDBClusterIdentifier'], { ...DB_CLUSTER, noun: 'source DB cluster' });
        if (!found.known) {
          return { state: 'unknown', why: found.why, location: 'Properties.SourceDBClusterIdentifier' };
        }
        return inherit(clusterEncryption(context, found.value), () => `it is restored from DB cluster ${found.value.displayName}`, 'Properties.SourceDBClusterIdentifier');
      }
    }
    return declaredEncryption(cluster, ['SnapshotIdentifier']);
  });
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

/** `StorageEncrypted` as declared; a restore without it is decided by its snapshot or backup. */
function declaredEncryption(db: ResourceView, restoreSources: string[]): DbEncryption {
  const location = 'Properties.StorageEncrypted';
  const storage = readBoolean(db.read('StorageEncrypted'), 'StorageEncrypted');
  if (!storage.known) {
    return { state: 'unknown', why: storage.why, location };
  }
  if (storage.value === true) {
    return ENCRYPTED;
  }
  if (storage.value === undefined) {
    const restore = restoreSources.find(p => isPresent(db.read(p)));
    if (restore !== undefined && (isPresent(db.read('KmsKeyId')) || isEncryptedCopy(db.read(restore)))) {
      // Given a KmsKeyId, or restored from an EncryptedSnapshotCopy: encrypted.
      return ENCRYPTED;
    }
    if (restore !== undefined) {
      return {
        state: 'unknown',
        why: `it is restored from ${restore} without StorageEncrypted, so the snapshot or backup decides its encryption; set StorageEncrypted: true`,
        location,
      };
    }
  }
  return {
    state: 'unencrypted',
    reason: storage.value === false ? 'StorageEncrypted is false' : 'StorageEncrypted is not set',
    location,
  };
}

/**
 * Whether a replica lives in another Region than its source. References within a stack and
 * imports (`Fn::ImportValue` only works within one Region) are same-Region; a literal ARN or
 * `SourceRegion` is compared with the replica stack's Region, which must then be known.
 */
function isCrossRegion(db: ResourceView, source: unknown, sourceDb: ResourceView): Reading<boolean> {
  const declared = readString(db.read('SourceRegion'), 'SourceRegion');
  if (!declared.known) {
    return declared;
  }
  let region = declared.value ?? regionInReference(source);
  if (region === SAME_REGION) {
    return known(false);
  }
  if (region === undefined) {
    if (sourceDb.stack === db.stack) {
      return known(false);
    }
    region = sourceDb.stack.region;
  }
  const here = db.stack.region;
  if (Token.isUnresolved(here) || Token.isUnresolved(region)) {
    return unknown('the replica\'s or its source\'s stack has no Region set (environment-agnostic), so whether the replica is cross-Region cannot be told');
  }
  return known(region !== here);
}

const SAME_REGION = '<same region>';

function regionInReference(source: unknown): string | undefined {
  if (isResourceReference(source)) {
    // A reference to a resource of the app: the target's stack tells its Region.
    return undefined;
  }
  if (typeof source === 'string') {
    // A plain identifier only names a source in the replica's own Region.
    return arnRegion(source) ?? SAME_REGION;
  }
  const fn = intrinsicName(source);
  if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') {
    return SAME_REGION;
  }
  if (fn === 'Fn::Join') {
    const [delimiter, parts] = (source as JsonObject)[fn] as [unknown, unknown];
    if (delimiter === '' && Array.isArray(parts)) {
      if (parts.some(isResourceReference)) {
        return undefined;
      }
      const text = parts.map(p => typeof p === 'string' ? p : isObject(p) && p.Ref === 'AWS::Region' ? SAME_REGION : '\u0000').join('');
      const region = text.startsWith('arn:') ? text.split(':')[3] : undefined;
      return region === undefined || region.includes('\u0000') ? undefined : region;
    }
  }
  return undefined;
}

/** The Region segment of a literal ARN, if `value` is one. */
function arnRegion(value: string): string | undefined {
  return value.startsWith('arn:') ? value.split(':')[3] || undefined : undefined;
}
