import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Lets S3 write the inventory files of `source` into a destination encrypted with a KMS key: S3
 * (`s3.amazonaws.com`) generates the data key with the destination's default key, which a key
 * policy must allow (S3 User Guide, inventory with a customer managed key). Limited to this
 * account's buckets (`aws:SourceAccount`). Not to `source` by `aws:SourceArn`: the key would then
 * refer to the source bucket, whose inventory refers to the destination, whose encryption refers
 * to the key, a loop CloudFormation refuses (and across stacks, a cycle of stacks). One statement
 * serves every source of the account. A key whose policy this app cannot change is left as it is:
 * it must allow this itself.
 */
export function allowInventoryDelivery(source: s3.Bucket, destination: s3.IBucket): void {
  destination.encryptionKey?.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowS3InventoryDelivery',
    principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
    actions: ['kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(source).account } },
  }));
}
