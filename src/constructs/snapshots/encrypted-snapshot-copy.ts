import * as path from 'path';
import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowHandlerToCopy, COPY_TAG } from './copy-handler-permissions';
import { allowRestoreByDeployer, allowUseThrough, EC2_COPY_KEY_USE } from './copy-key-policy';
import { EncryptedSnapshotCopyProps } from './encrypted-snapshot-copy-props';
import { refuseInvalidProps } from './encrypted-snapshot-copy-refusals';
import { defaultIdentifier, ec2SnapshotArn, rdsArn } from './snapshot-names';
import { SnapshotKind } from './snapshot-source';
import { assertCdkVersion } from '../../private/cdk-version';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { grantOnPolicyKey, underlyingKey } from '../kms/key-grants';
import { ReplicaKey } from '../kms/replica-key';
import { HandlerProvider } from '../providers/handler-provider';

// The source and the props live in their own files; they are exported from here too, where the
// construct's users (and tests) have always imported them.
export { SnapshotKind, SnapshotSource } from './snapshot-source';
export { EncryptedSnapshotCopyProps } from './encrypted-snapshot-copy-props';

/**
 * An encrypted copy of an RDS DB snapshot, an Aurora DB cluster snapshot or an EBS snapshot, under a
 * customer managed key: the way to encrypt a database or volume that was created unencrypted (neither
 * can be encrypted in place). A custom resource (the CDK provider framework, with `isComplete`)
 * starts the copy and waits until it is available; restore from `snapshotIdentifier` with
 * `rds.DatabaseInstanceFromSnapshot`, `rds.DatabaseClusterFromSnapshot` or `ec2.Volume`.
 *
 * CloudFormation waits at most one hour for a custom resource: a copy that takes longer fails the
 * deployment (copy very large snapshots with the console or CLI instead). The copy is retained when
 * it leaves the stack unless `removalPolicy` is `DESTROY`.
 *
 * @example
 * import { EncryptedSnapshotCopy, SnapshotSource } from 'cdk-encryption-guard';
 *
 * const copy = new EncryptedSnapshotCopy(this, 'Copy', { source: SnapshotSource.rdsDbSnapshot('orders-final') });
 */
export class EncryptedSnapshotCopy extends Construct {
  /** The copy's identifier (RDS, Aurora) or snapshot ID (EBS), known once the copy exists. */
  public readonly snapshotIdentifier: string;
  /** The copy's ARN. */
  public readonly snapshotArn: string;
  /** The key of the copy. */
  public readonly encryptionKey: kms.IKey;
  /** The custom resource that makes the copy. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: EncryptedSnapshotCopyProps) {
    assertCdkVersion('constructs');
    super(scope, id);
    const stack = Stack.of(this);
    const source = props.source;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    refuseInvalidProps(this, stack, props, removalPolicy);
    const ebs = source.kind === SnapshotKind.EBS_SNAPSHOT;
    const service = ebs ? 'ec2' : 'rds';

    this.encryptionKey = props.encryptionKey ?? new CmkWithPolicy(this, 'Key', { description: `Encrypts the snapshot copy ${this.node.path}` });
    const provider = HandlerProvider.of(this, {
      id: 'CegEncryptedSnapshotCopyProvider',
      description: 'Copies snapshots into encrypted copies (cdk-encryption-guard EncryptedSnapshotCopy)',
      handlerDirectory: path.join(__dirname, 'handler'),
      isComplete: true,
      // CloudFormation waits one hour for a custom resource: the provider fails cleanly before that.
      totalTimeout: Duration.minutes(55),
      queryInterval: Duration.seconds(30),
    });
    // The key behind an alias or an imported reference to a key of the app: its policy is the one to
    // change, and its ARN the one IAM policies name (an alias ARN authorizes nothing).
    const key = underlyingKey(this.encryptionKey);
    const changeable = (key instanceof kms.Key || key instanceof ReplicaKey) && Stack.of(key).account === stack.account
      && Stack.of(key).region === stack.region;
    if (props.encryptionKey !== undefined && changeable) {
      allowRestoreByDeployer(this, key, stack, service);
    }
    if (props.encryptionKey === undefined) {
      allowUseThrough(key, stack, service, new iam.AccountRootPrincipal(), `AllowAccountUseThrough${ebs ? 'Ec2' : 'Rds'}`);
    } else if (changeable && Stack.of(key) === stack) {
      // Only what the handler's own policy allows: it is named here, so this alone would let it in.
      allowUseThrough(key, stack, service, provider.role, `AllowSnapshotCopyThrough${ebs ? 'Ec2' : 'Rds'}`,
        ebs ? EC2_COPY_KEY_USE : ['kms:DescribeKey']);
    } else if (changeable) {
      // A key of another stack: naming the handler role in its policy would make a cycle; the grant
      // goes through a principal tag instead (a key that trusts IAM needs none, and gets a harmless one).
      grantOnPolicyKey(key, provider.role, ['kms:CreateGrant', ...(ebs ? EC2_COPY_KEY_USE : ['kms:DescribeKey'])],
        { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.amazonaws.com` } });
    }

    const targetIdentifier = ebs ? undefined : props.targetIdentifier ?? defaultIdentifier(this, source);
    const tagValue = this.node.addr;
    allowHandlerToCopy(provider.role, key, stack, source, targetIdentifier, tagValue, removalPolicy === RemovalPolicy.DESTROY);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EncryptedSnapshotCopy',
      removalPolicy,
      properties: {
        SourceType: source.kind,
        SourceSnapshot: source.identifier,
        KmsKeyId: this.encryptionKey.keyArn,
        ...(ebs
          ? { Description: props.description ?? `Encrypted copy of ${source.identifier}`, TagKey: COPY_TAG, TagValue: tagValue }
          : { TargetIdentifier: targetIdentifier, CopyTags: String(props.copyTags ?? true) }),
      },
    });
    this.resource.node.addDependency(this.encryptionKey);
    this.snapshotIdentifier = this.resource.ref;
    this.snapshotArn = ebs
      ? ec2SnapshotArn(stack, this.snapshotIdentifier)
      : rdsArn(stack, source.kind, this.snapshotIdentifier);
  }

}
