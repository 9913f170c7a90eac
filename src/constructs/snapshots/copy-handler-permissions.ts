import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EC2_COPY_KEY_USE } from './copy-key-policy';
import { ec2SnapshotArn, rdsArn } from './snapshot-names';
import { SnapshotKind, SnapshotSource } from './snapshot-source';
import { installedCdkVersion, isBelow } from '../../private/cdk-version';
import { identityTargetOf } from '../kms/key-grants';

/** The tag an EBS copy carries: the handler may delete only snapshots with its construct's value. */
export const COPY_TAG = 'cdk-encryption-guard:snapshot-copy';

/** The handler's role may copy this source into this copy, check it, and delete it when destroyed. */
export function allowHandlerToCopy(
  role: iam.Role, key: kms.IKey, stack: Stack, source: SnapshotSource, target: string | undefined, tagValue: string, destroy: boolean,
): void {
  // What the role's policy names for the key (the keys carrying an imported alias).
  const onKey = identityTargetOf(key);
  if (source.kind === SnapshotKind.EBS_SNAPSHOT) {
    const anySnapshot = ec2SnapshotArn(stack, '*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:CopySnapshot'], resources: [ec2SnapshotArn(stack, source.identifier)] }));
    // The new snapshot's ID is not known in advance: only a snapshot created with this construct's tag.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CopySnapshot'], resources: [anySnapshot], conditions: { StringEquals: { [`aws:RequestTag/${COPY_TAG}`]: tagValue } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateTags'], resources: [anySnapshot], conditions: { StringEquals: { 'ec2:CreateAction': 'CopySnapshot' } },
    }));
    if (destroy) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:DeleteSnapshot'], resources: [anySnapshot], conditions: { StringEquals: { [`ec2:ResourceTag/${COPY_TAG}`]: tagValue } },
      }));
    }
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeSnapshots'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:CreateGrant', ...EC2_COPY_KEY_USE],
      resources: onKey.arns,
      conditions: { StringEquals: { 'kms:ViaService': `ec2.${stack.region}.amazonaws.com` }, ...onKey.conditions },
    }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeSnapshots supports no resource-level permissions: AWS accepts only "*" as its resource.',
    });
    const reason = 'The ID of a snapshot copy is assigned by EC2 when it is made: the role may create and delete only snapshots carrying '
      + 'this construct\'s tag (aws:RequestTag, ec2:ResourceTag), and tag only snapshots it is copying (ec2:CreateAction).';
    // aws-cdk-lib before 2.276 refuses an ID with a second '::' (the ARN's empty account field),
    // and cdk-nag matches acknowledgements by the exact finding ID: there the finding stays for the
    // user to acknowledge (README, EncryptedSnapshotCopy). Asked by version, not by catching the
    // refusal: the `cdk` CLI records every CDK error made, caught or not, in the assembly's error.txt.
    const version = installedCdkVersion();
    if (version !== undefined && !isBelow(version, '2.276.0')) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${stack.region}::snapshot/*]`, reason });
    }
    return;
  }
  const cluster = source.kind === SnapshotKind.RDS_CLUSTER_SNAPSHOT;
  const sourceArn = source.identifier.startsWith('arn:') ? source.identifier : rdsArn(stack, source.kind, source.identifier);
  const targetArn = rdsArn(stack, source.kind, target!);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: [cluster ? 'rds:CopyDBClusterSnapshot' : 'rds:CopyDBSnapshot'], resources: [sourceArn, targetArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: [cluster ? 'rds:DescribeDBClusterSnapshots' : 'rds:DescribeDBSnapshots', 'rds:AddTagsToResource',
      ...(destroy ? [cluster ? 'rds:DeleteDBClusterSnapshot' : 'rds:DeleteDBSnapshot'] : [])],
    resources: [targetArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:CreateGrant', 'kms:DescribeKey'],
    resources: onKey.arns,
    conditions: { StringEquals: { 'kms:ViaService': `rds.${stack.region}.amazonaws.com` }, ...onKey.conditions },
  }));
}
