/**
 * Pins every aws-cdk-lib member we use that is not public API (src/private/cdk-internals.ts):
 * an upgrade that renames one fails here, loudly, instead of changing verdicts quietly.
 */
import { Annotations, CfnMapping, CfnResource, Lazy, Stack, UnscopedValidationError, ValidationError, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { cfnPropertiesOf, hasCrossRegionReferences, isNarrowedAcknowledgement, mappingDataOf, metadataOf, overridePathsOf, rawOverridesOf, renderedPropertiesOf, renderPropertiesOf, storedAcknowledgement, templateTypeOf } from '../../src/private/cdk-internals';
import { newApp, newStack } from '../support/app';
import { cdkNarrowsAcknowledgements } from '../support/cdk-features';

test('rawOverrides records escape hatches, deletions as undefined', () => {
  const bucket = new s3.CfnBucket(newStack(newApp()), 'Bucket');
  bucket.addPropertyOverride('BucketName', 'x');
  bucket.addPropertyDeletionOverride('Tags');
  const lazy = Lazy.any({ produce: () => undefined });
  bucket.addOverride('Properties.VersioningConfiguration', lazy);
  expect(rawOverridesOf(bucket)).toEqual({ Properties: { BucketName: 'x', Tags: undefined, VersioningConfiguration: lazy } });
  expect('Tags' in (rawOverridesOf(bucket).Properties as object)).toBe(true);
});

test('cfnProperties holds the typed props in camelCase; renderProperties writes CloudFormation names', () => {
  const bucket = new s3.CfnBucket(newStack(newApp()), 'Bucket', { bucketName: 'b', versioningConfiguration: { status: 'Enabled' } });
  expect(cfnPropertiesOf(bucket)).toMatchObject({ bucketName: 'b', versioningConfiguration: { status: 'Enabled' } });
  expect(renderPropertiesOf(bucket, { bucketName: 'b', versioningConfiguration: { status: 'Enabled' } }))
    .toEqual({ BucketName: 'b', VersioningConfiguration: { Status: 'Enabled' } });
  // A plain CfnResource holds CloudFormation names already and renders them as they are.
  const plain = new CfnResource(newStack(newApp()), 'Plain', { type: 'AWS::S3::Bucket', properties: { BucketName: 'p' } });
  expect(cfnPropertiesOf(plain)).toEqual({ BucketName: 'p' });
  expect(renderPropertiesOf(plain, { BucketName: 'p' })).toEqual({ BucketName: 'p' });
});

test('_toCloudFormation renders a resource with its escape hatches, as the template will have it', () => {
  const stack = newStack(newApp());
  const bucket = new s3.CfnBucket(stack, 'Bucket', { bucketName: 'b', tags: [{ key: 'k', value: 'v' }] });
  bucket.addPropertyOverride('VersioningConfiguration.Status', 'Enabled');
  bucket.addPropertyDeletionOverride('Tags');
  bucket.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm', 'aws:kms');
  const rendered = renderedPropertiesOf(bucket);
  // Must not be undefined: the key-policy validation of our constructs relies on it.
  expect(JSON.parse(JSON.stringify(rendered))).toEqual({
    BucketName: 'b',
    VersioningConfiguration: { Status: 'Enabled' },
    // CDK creates a missing path segment as an object key, numeric or not (as CloudFormation will see it).
    BucketEncryption: { ServerSideEncryptionConfiguration: { 0: { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } } } },
  });
  expect(overridePathsOf(bucket, 'VersioningConfiguration')).toEqual(['Properties.VersioningConfiguration.Status']);
  expect(overridePathsOf(bucket, 'BucketName')).toEqual([]);
});

test('_crossRegionReferences reflects the stack prop', () => {
  const app = newApp();
  expect(hasCrossRegionReferences(newStack(app, 'A', 'eu-west-1', { crossRegionReferences: true }))).toBe(true);
  expect(hasCrossRegionReferences(newStack(app, 'B'))).toBe(false);
});

test('the error classes we throw exist and are recognised as validation errors', () => {
  const scope = new Stack(newApp(), 'S');
  expect(new ValidationError('X' as never, 'm', scope)).toBeInstanceOf(Error);
  expect(new UnscopedValidationError('X' as never, 'm')).toBeInstanceOf(Error);
});

test('a construct\'s metadata entries are read as node.metadata gives them, without a copy', () => {
  const stack = newStack(newApp());
  const plain = new Construct(stack, 'Plain');
  expect(metadataOf(plain)).toEqual([]);
  Validations.of(plain).acknowledge({ id: 'CEG-S3-1', reason: 'because' });
  plain.node.addMetadata('custom', { a: 1 });
  expect(metadataOf(plain)).toEqual(plain.node.metadata);
  expect(metadataOf(plain).map(e => e.type)).toEqual([Validations.ACKNOWLEDGED_RULES_METADATA_KEY, 'custom']);
  expect(metadataOf(plain)).toBe(metadataOf(plain));
});

test('the template\'s type is the L1\'s own unless an escape hatch replaces it with a string', () => {
  const stack = newStack(newApp());
  const bucket = new s3.CfnBucket(stack, 'Bucket');
  expect(templateTypeOf(bucket)).toBe('AWS::S3::Bucket');
  bucket.addOverride('Type', 'AWS::EC2::Volume');
  expect(templateTypeOf(bucket)).toBe('AWS::EC2::Volume');
  expect((stack.resolve((bucket as any)._toCloudFormation()) as any).Resources[stack.resolve(bucket.logicalId)].Type).toBe('AWS::EC2::Volume');
  bucket.addOverride('Type', { Ref: 'TypeParameter' });
  expect(templateTypeOf(bucket)).toBe('AWS::S3::Bucket');
  bucket.addDeletionOverride('Type');
  expect(templateTypeOf(bucket)).toBe('AWS::S3::Bucket');
});

test('the app-wide acknowledgement store keeps each acknowledgement\'s where filter, by construct path and qualified ID', () => {
  const stack = newStack(newApp());
  const narrowed = new s3.Bucket(stack, 'Narrowed');
  const plain = new s3.Bucket(stack, 'Plain');
  Validations.of(narrowed).acknowledge({ id: 'CEG-S3-1', reason: 'r', where: { prefix: 'legacy/' } });
  Validations.of(plain).acknowledge({ id: 'CEG-S3-1', reason: 'r' });
  // The metadata CDK writes has the qualified ID and the reason alone, whatever the filter
  // (`Annotation::`; `annotation::` in older releases).
  const recorded = metadataOf(narrowed).find(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)?.data as { [id: string]: string };
  const [id] = Object.keys(recorded);
  expect(id).toMatch(/^annotation::CEG-S3-1$/i);
  expect(recorded).toEqual({ [id]: 'r' });
  // Releases before filters keep no `where` (test/support/cdk-features.ts).
  expect(isNarrowedAcknowledgement(narrowed, id)).toBe(cdkNarrowsAcknowledgements());
  expect(isNarrowedAcknowledgement(plain, id)).toBe(false);
  expect(isNarrowedAcknowledgement(plain, id.replace('S3-1', 'S3-2'))).toBe(false);
});

test('CDK\'s acknowledgement store holds what Annotations.acknowledgeWarning and acknowledgeInfo record (no metadata), by path, with filters', () => {
  const app = newApp();
  const stack = newStack(app);
  const scope = new Construct(stack, 'Scope');
  const bucket = new s3.CfnBucket(scope, 'Bucket');
  Annotations.of(scope).acknowledgeWarning('Annotation::CEG-S3-3', 'legacy clients');
  Annotations.of(bucket).acknowledgeInfo('CEG-S3-4', 'accepted');
  expect(metadataOf(bucket).concat(metadataOf(scope)).filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toEqual([]);
  // On the construct or an ancestor; the first of the IDs asked about that is there.
  expect(storedAcknowledgement(bucket, ['Annotation::CEG-S3-3', 'CEG-S3-3'])).toBe('Annotation::CEG-S3-3');
  expect(storedAcknowledgement(bucket, ['Annotation::CEG-S3-4', 'CEG-S3-4'])).toBe('CEG-S3-4');
  expect(storedAcknowledgement(scope, ['Annotation::CEG-S3-4', 'CEG-S3-4'])).toBeUndefined();
  expect(storedAcknowledgement(bucket, ['Annotation::CEG-S3-1', 'CEG-S3-1'])).toBeUndefined();
  // One narrowed with `where` matches no occurrence without context (releases that have filters;
  // older ones spell the stored ID otherwise, and the metadata tells the gate of it anyway).
  const narrowed = new s3.CfnBucket(stack, 'Narrowed');
  Validations.of(narrowed).acknowledge({ id: 'CEG-S3-1', reason: 'r', where: { prefix: 'legacy/' } });
  if (cdkNarrowsAcknowledgements()) {
    expect(storedAcknowledgement(narrowed, ['Annotation::CEG-S3-1', 'CEG-S3-1'])).toBeUndefined();
    const plain = new s3.CfnBucket(stack, 'Plain');
    Validations.of(plain).acknowledge({ id: 'CEG-S3-1', reason: 'r' });
    expect(storedAcknowledgement(plain, ['Annotation::CEG-S3-1', 'CEG-S3-1'])).toBe('Annotation::CEG-S3-1');
  }
});

test('a CfnMapping keeps its entries, as given, in its `mapping` field', () => {
  const stack = newStack(newApp());
  const mapping = new CfnMapping(stack, 'Map', { mapping: { prod: { volumes: true, ami: 'ami-1' } } });
  mapping.setValue('dev', 'volumes', false);
  expect(mappingDataOf(mapping)).toEqual({ prod: { volumes: true, ami: 'ami-1' }, dev: { volumes: false } });
});
