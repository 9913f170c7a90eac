/**
 * Properties are looked up by CloudFormation name in what the L1 holds: camelCase keys of a typed
 * L1, CloudFormation's own of a plain one. For aws-cdk-lib's generated classes, which key answers a
 * name is worked out once per class; for anything else, per instance.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PropertyLookup, PropertyNames } from '../../src/engine/rendering';
import { cfnPropertiesOf } from '../../src/private/cdk-internals';
import { newApp, newStack } from '../support/app';

function lookup(resource: CfnResource, names = new PropertyNames()): PropertyLookup {
  return new PropertyLookup(cfnPropertiesOf(resource), names, resource.constructor);
}

describe('PropertyLookup', () => {
  test('a generated L1 class: one map of names for all its instances, each instance its own values', () => {
    const stack = newStack(newApp());
    const names = new PropertyNames();
    const a = new s3.CfnBucket(stack, 'A', { bucketName: 'a', bucketEncryption: { serverSideEncryptionConfiguration: [] } });
    const b = new s3.CfnBucket(stack, 'B', { bucketName: 'b' });
    expect(names.fixedKeys(s3.CfnBucket)).toBeDefined();
    expect(names.fixedKeys(s3.CfnBucket)).toBe(new PropertyNames().fixedKeys(s3.CfnBucket));
    expect(lookup(a, names).get('BucketName')).toBe('a');
    expect(lookup(b, names).get('BucketName')).toBe('b');
    expect(lookup(a, names).get('BucketEncryption')).toEqual({ serverSideEncryptionConfiguration: [] });
    expect(lookup(b, names).get('BucketEncryption')).toBeUndefined();
    // A name no key answers is remembered as such.
    expect(lookup(a, names).get('NoSuchProperty')).toBeUndefined();
    expect(names.fixedKeys(s3.CfnBucket)!.get('NoSuchProperty')).toBeNull();
    expect(names.fixedKeys(s3.CfnBucket)!.get('BucketName')).toBe('bucketName');
  });

  test('a plain CfnResource: per instance, the exact name first, then any case', () => {
    const stack = newStack(newApp());
    const names = new PropertyNames();
    expect(names.fixedKeys(CfnResource)).toBeUndefined();
    const one = new CfnResource(stack, 'One', { type: 'AWS::S3::Bucket', properties: { bucketname: 'lower', BucketName: 'exact' } });
    const two = new CfnResource(stack, 'Two', { type: 'AWS::S3::Bucket', properties: { bucketname: 'only-lower' } });
    expect(lookup(one, names).get('BucketName')).toBe('exact');
    expect(lookup(one, names).get('BUCKETNAME')).toBe('lower');
    expect(lookup(two, names).get('BucketName')).toBe('only-lower');
  });

  test('a subclass of a generated class is looked up per instance (it may override the getter)', () => {
    class Renamed extends s3.CfnBucket {
      protected get cfnProperties(): { [key: string]: unknown } {
        return { BucketName: 'from-subclass' };
      }
    }
    const names = new PropertyNames();
    expect(names.fixedKeys(Renamed)).toBeUndefined();
    const bucket = new Renamed(newStack(newApp()), 'Bucket', { bucketName: 'given' });
    expect(lookup(bucket, names).get('BucketName')).toBe('from-subclass');
  });
});
