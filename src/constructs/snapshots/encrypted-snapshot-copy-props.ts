import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SnapshotSource } from './snapshot-source';

/**
 * Properties of an `EncryptedSnapshotCopy`.
 */
export interface EncryptedSnapshotCopyProps {
  /** The snapshot to copy. */
  readonly source: SnapshotSource;

  /**
   * The customer managed key of the copy. AWS managed keys (`alias/aws/rds`, `alias/aws/ebs`) are
   * refused: their use cannot be limited and snapshots under them cannot be shared. A key of the app
   * in the copy's account and Region gets statements that let the copying role and the role that
   * deploys this stack (which restores from the copy: RDS and EC2 create grants on its behalf) use
   * it through RDS (or EC2); restoring from another stack needs that stack's role let in too.
   *
   * @default - a new `CmkWithPolicy` that principals of the account may use through RDS (RDS and
   * Aurora sources) or EC2 (EBS sources), so the copy can be made and restored
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The identifier of the copy (RDS and Aurora only: EC2 assigns EBS snapshot IDs). A copy under
   * another key or of another source needs a new identifier.
   *
   * @default - derived from the construct's path and the source
   */
  readonly targetIdentifier?: string;

  /**
   * Copy the source snapshot's tags (RDS and Aurora only).
   *
   * @default true
   */
  readonly copyTags?: boolean;

  /**
   * The copy's description (EBS only).
   *
   * @default - "Encrypted copy of <source>"
   */
  readonly description?: string;

  /**
   * What happens to the copy when it leaves the stack: `RETAIN` keeps it, `DESTROY` deletes it.
   * `SNAPSHOT` is refused (it would be a snapshot of a snapshot).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
