import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EncryptedSnapshotCopyProps } from './encrypted-snapshot-copy-props';
import { SnapshotKind } from './snapshot-source';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { validationError } from '../../private/errors';

/**
 * Throws, naming the prop and the fix, for a source that is not a snapshot of its kind or not in the
 * stack's Region, props that do not apply to the source's kind, and AWS managed keys.
 */
export function refuseInvalidProps(scope: Construct, stack: Stack, props: EncryptedSnapshotCopyProps, removalPolicy: RemovalPolicy): void {
  const error = (message: string) => validationError('InvalidEncryptedSnapshotCopy', `EncryptedSnapshotCopy "${scope.node.id}": ${message}`, scope);
  const { kind, identifier } = props.source;
  const ebs = kind === SnapshotKind.EBS_SNAPSHOT;
  if (!Token.isUnresolved(identifier)) {
    if (ebs && !/^snap-([0-9a-f]{8}|[0-9a-f]{17})$/.test(identifier)) {
      throw error(`source "${identifier}" is not an EBS snapshot ID: give it as snap- followed by 8 or 17 hexadecimal digits.`);
    }
    const arn = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(snapshot|cluster-snapshot):(.+)$/.exec(identifier);
    if (!ebs && identifier.startsWith('arn:')) {
      if (arn === null) {
        throw error(`source "${identifier}" is not an RDS snapshot ARN (arn:aws:rds:<region>:<account>:snapshot:<name> or :cluster-snapshot:<name>).`);
      }
      const expected = kind === SnapshotKind.RDS_CLUSTER_SNAPSHOT ? 'cluster-snapshot' : 'snapshot';
      if (arn[3] !== expected) {
        throw error(`source "${identifier}" is a ${arn[3]} ARN, but SnapshotSource.${kind === SnapshotKind.RDS_CLUSTER_SNAPSHOT ? 'auroraClusterSnapshot' : 'rdsDbSnapshot'} `
          + `copies a ${expected}: use SnapshotSource.${arn[3] === 'snapshot' ? 'rdsDbSnapshot' : 'auroraClusterSnapshot'}.`);
      }
      if (!Token.isUnresolved(stack.region) && arn[1] !== stack.region) {
        throw error(`source "${identifier}" is in ${arn[1]}, but the stack is in ${stack.region}: this construct copies within one Region. `
          + `Put the copy in a stack of ${arn[1]}.`);
      }
    } else if (!ebs && !/^[A-Za-z][A-Za-z0-9:-]{0,254}$/.test(identifier)) {
      throw error(`source "${identifier}" is not an RDS snapshot identifier (a letter, then letters, digits, hyphens or colons) or ARN.`);
    }
  }
  if (props.targetIdentifier !== undefined) {
    if (ebs) {
      throw error('targetIdentifier is set for an EBS snapshot, but EC2 assigns the copy\'s ID: leave it unset and read snapshotIdentifier.');
    }
    const t = props.targetIdentifier;
    if (!Token.isUnresolved(t) && (!/^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(t) || t.includes('--') || t.endsWith('-'))) {
      throw error(`targetIdentifier "${t}" is not a valid snapshot identifier: 1 to 255 letters, digits and hyphens, beginning with a letter, `
        + 'without two hyphens in a row or a hyphen at the end.');
    }
  }
  if (ebs && props.copyTags !== undefined) {
    throw error('copyTags is set for an EBS snapshot, but EC2 CopySnapshot does not copy tags: leave it unset.');
  }
  if (!ebs && props.description !== undefined) {
    throw error('description is set for an RDS or Aurora snapshot, which has no description: leave it unset (or use tags).');
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > 255) {
    throw error(`description has ${props.description.length} characters; EBS accepts at most 255.`);
  }
  if (removalPolicy === RemovalPolicy.SNAPSHOT) {
    throw error('removalPolicy is SNAPSHOT, which does not apply to a snapshot: use RETAIN (the default) or DESTROY.');
  }
  const key = props.encryptionKey;
  if (key !== undefined && isAwsManagedKey(key)) {
    throw error('encryptionKey is an AWS managed key (alias/aws/...): its use cannot be limited and a copy under it cannot be shared with other accounts. '
      + 'Leave encryptionKey unset (a customer managed key is created) or pass a customer managed key.');
  }
}
