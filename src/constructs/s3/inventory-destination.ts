import { Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Lets S3 write the inventory files of `source` into a destination encrypted with a KMS key: S3
 * (`s3.amazonaws.com`) generates the data key with the destination's default key, which a key
 * policy must allow (S3 User Guide, inventory with a customer managed key). Limited to this
 * account's buckets (`aws:SourceAccount`), and to `source` when both share a stack: naming it from
 * the destination's stack would make that stack refer back to the source's, a cycle. A key whose
 * policy this app cannot change is left as it is: it must allow this itself.
 */
export function allowInventoryDelivery(source: s3.Bucket, destination: s3.IBucket): void {
  const key = destination.encryptionKey;
  if (key === undefined) {
    return;
  }
  const sameStack = Stack.of(key) === Stack.of(source);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AllowS3InventoryFrom${sameStack ? Names.uniqueId(source) : Stack.of(source).account}`.slice(0, 100),
    principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
    actions: ['kms:GenerateDataKey'],
    resources: ['*'],
    conditions: {
      ...(sameStack ? { ArnLike: { 'aws:SourceArn': source.bucketArn } } : {}),
      StringEquals: { 'aws:SourceAccount': Stack.of(source).account },
    },
  }));
}
