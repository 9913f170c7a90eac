/** The kinds of snapshots `EncryptedSnapshotCopy` copies. */
export enum SnapshotKind {
  /** An RDS DB snapshot (`CopyDBSnapshot`). */
  RDS_DB_SNAPSHOT = 'rds-db-snapshot',
  /** An Aurora (or Multi-AZ DB cluster) snapshot (`CopyDBClusterSnapshot`). */
  RDS_CLUSTER_SNAPSHOT = 'rds-cluster-snapshot',
  /** An EBS snapshot (`CopySnapshot`). */
  EBS_SNAPSHOT = 'ebs-snapshot',
}

/**
 * The snapshot to copy, in the stack's Region: typically an unencrypted one.
 */
export class SnapshotSource {
  /**
   * An RDS DB snapshot, by identifier (`orders-before-encryption`, `rds:orders-2025-01-01-00-00`) or
   * ARN (for a snapshot another account shared with this one).
   */
  public static rdsDbSnapshot(identifier: string): SnapshotSource {
    return new SnapshotSource(SnapshotKind.RDS_DB_SNAPSHOT, identifier);
  }

  /** An Aurora DB cluster snapshot, by identifier or ARN. */
  public static auroraClusterSnapshot(identifier: string): SnapshotSource {
    return new SnapshotSource(SnapshotKind.RDS_CLUSTER_SNAPSHOT, identifier);
  }

  /** An EBS snapshot, by ID (`snap-0123456789abcdef0`). */
  public static ebsSnapshot(snapshotId: string): SnapshotSource {
    return new SnapshotSource(SnapshotKind.EBS_SNAPSHOT, snapshotId);
  }

  private constructor(
    /** What kind of snapshot it is. */
    public readonly kind: SnapshotKind,
    /** Its identifier, ARN or ID. */
    public readonly identifier: string) {}
}
