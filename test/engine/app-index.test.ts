/**
 * The index lists every resource once, in construct order, however its records were asked for:
 * by type after a walk, one by one before it, or for a resource added to the tree after the walk.
 */
import { CfnResource, NestedStack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AppIndex } from '../../src/engine/app-index';
import { ReferenceTable } from '../../src/engine/resource-reference';
import { newApp, newStack } from '../support/app';

const BUCKET = 'AWS::S3::Bucket';

function paths(records: ReadonlyArray<{ resource: CfnResource }>): string[] {
  return records.map(r => r.resource.node.path);
}

function threeBuckets() {
  const app = newApp();
  const stack = newStack(app);
  const unit = new Construct(stack, 'Unit');
  const buckets = ['A', 'B', 'C'].map(id => new s3.CfnBucket(unit, id));
  new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'eu-west-1a', size: 1 });
  return { app, stack, buckets };
}

test('a type lists its resources in construct order, each with one record shared by every lookup', () => {
  const { app, stack, buckets } = threeBuckets();
  const index = new AppIndex(app, new ReferenceTable());
  const listed = index.ofType(stack, BUCKET);
  expect(paths(listed)).toEqual(['Stack/Unit/A', 'Stack/Unit/B', 'Stack/Unit/C']);
  expect(index.recordOf(buckets[1])).toBe(listed[1]);
  expect(index.allOfType(BUCKET)).toEqual(listed);
  expect(index.byLogicalId(stack, stack.resolve(buckets[2].logicalId), [BUCKET])).toBe(listed[2]);
});

test('a record asked for before the walk is the one the walk lists, in its place', () => {
  const { app, stack, buckets } = threeBuckets();
  const index = new AppIndex(app, new ReferenceTable());
  const early = index.recordOf(buckets[2]);
  expect(paths(index.ofType(stack, BUCKET))).toEqual(['Stack/Unit/A', 'Stack/Unit/B', 'Stack/Unit/C']);
  expect(index.ofType(stack, BUCKET)[2]).toBe(early);
});

test('a record first asked for after the walk of its stack is not listed twice', () => {
  const { app, stack, buckets } = threeBuckets();
  const index = new AppIndex(app, new ReferenceTable());
  // The walk lists the stack; the volume's type is never asked for, so its record is made now.
  expect(index.ofType(stack, BUCKET)).toHaveLength(3);
  const volume = stack.node.findChild('Volume') as CfnResource;
  const record = index.recordOf(volume);
  expect(index.ofType(stack, 'AWS::EC2::Volume')).toEqual([record]);
  expect(index.allOfType('AWS::EC2::Volume')).toEqual([record]);
  expect(index.recordOf(buckets[0])).toBe(index.ofType(stack, BUCKET)[0]);
  expect(index.ofType(stack, BUCKET)).toHaveLength(3);
});

test('a resource added to the tree after the walk is listed once, last', () => {
  const { app, stack } = threeBuckets();
  const index = new AppIndex(app, new ReferenceTable());
  expect(index.allOfType(BUCKET)).toHaveLength(3);
  const late = new s3.CfnBucket(stack, 'Late');
  const record = index.recordOf(late);
  expect(paths(index.ofType(stack, BUCKET))).toEqual(['Stack/Unit/A', 'Stack/Unit/B', 'Stack/Unit/C', 'Stack/Late']);
  expect(index.allOfType(BUCKET)[3]).toBe(record);
  expect(index.allOfType(BUCKET)).toHaveLength(4);
  expect(index.recordOf(late)).toBe(record);
});

test('a nested stack lists its own resources; its parent does not', () => {
  const app = newApp();
  const stack = newStack(app);
  new s3.CfnBucket(stack, 'Outer');
  const nested = new NestedStack(stack, 'Nested');
  new s3.CfnBucket(nested, 'Inner');
  const index = new AppIndex(app, new ReferenceTable());
  expect(paths(index.ofType(stack, BUCKET))).toEqual(['Stack/Outer']);
  expect(paths(index.ofType(nested, BUCKET))).toEqual(['Stack/Nested/Inner']);
  expect(paths(index.allOfType(BUCKET))).toEqual(['Stack/Outer', 'Stack/Nested/Inner']);
});
