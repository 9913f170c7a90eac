import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { underlyingKey } from './key-grants';
import { spelledRegionOf } from '../../private/regions';

/**
 * Why `key` cannot encrypt `subject`, which is in `region`: KMS keys are regional, and every service
 * encrypts a resource with a key of the resource's own Region (CreateDBInstance, PutParameter,
 * ReplicateSecretToRegions and S3's writes fail otherwise). `undefined` when it can, or when the app
 * does not tell one of the two Regions.
 */
export function keyOfOtherRegion(prop: string, key: kms.IKey, subject: string, region: string): string | undefined {
  const there = spelledRegionOf(underlyingKey(key)) ?? spelledRegionOf(key);
  if (there === undefined || Token.isUnresolved(region) || there === region) {
    return undefined;
  }
  return `${prop} ${key.node.path} is a key of Region ${there}, but ${subject} is in ${region}: KMS keys are regional, and a resource is `
    + `encrypted only with a key of its own Region. Pass a key of ${region} (a MultiRegionKey replica there, for example).`;
}
