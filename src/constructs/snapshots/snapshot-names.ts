import { createHash } from 'crypto';
import { ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SnapshotKind, SnapshotSource } from './snapshot-source';

/** The ARN of an EBS snapshot of the stack's Region (EBS snapshot ARNs have no account). */
export function ec2SnapshotArn(stack: Stack, id: string): string {
  return stack.formatArn({ service: 'ec2', account: '', resource: 'snapshot', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/** The ARN of an RDS DB snapshot or DB cluster snapshot of the stack's account and Region. */
export function rdsArn(stack: Stack, kind: SnapshotKind, identifier: string): string {
  return stack.formatArn({
    service: 'rds',
    resource: kind === SnapshotKind.RDS_CLUSTER_SNAPSHOT ? 'cluster-snapshot' : 'snapshot',
    resourceName: identifier,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** `encrypted-<path>-<hash of the source>`: another source gets another copy. */
export function defaultIdentifier(scope: Construct, source: SnapshotSource): string {
  const hash = createHash('sha256').update(Token.isUnresolved(source.identifier) ? scope.node.addr : source.identifier).digest('hex').slice(0, 8);
  const base = Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' }).toLowerCase()
    .replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `encrypted-${base}-${hash}`;
}
