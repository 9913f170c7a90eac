/**
 * The gate renders a resource exactly as CDK writes it into the template: for every escape hatch
 * shape, the properties the gate reads equal those of the synthesized template.
 */
import { CfnCondition, CfnParameter, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AppIndex } from '../../src/engine/app-index';
import { renderResource, WHOLE } from '../../src/engine/rendering';
import { ReferenceTable } from '../../src/engine/resource-reference';
import { newApp, newStack } from '../support/app';

/** What the gate renders, with its reference markers turned back into CloudFormation's intrinsics. */
function gateView(stack: Stack, resource: CfnResource): unknown {
  const references = new ReferenceTable();
  new AppIndex(stack.node.root, references);
  const rendered = renderResource(resource, stack, references).properties;
  const unmark = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(unmark);
    }
    if (typeof value === 'object' && value !== null) {
      const ref = references.unmark(value as never);
      if (ref !== undefined) {
        const id = stack.resolve(ref.target.logicalId);
        return ref.attribute === 'Ref' ? { Ref: id } : { 'Fn::GetAtt': [id, ref.attribute] };
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmark(v)]));
    }
    return value;
  };
  return unmark(rendered);
}

let currentTable: ReferenceTable;
function table(): ReferenceTable {
  currentTable = new ReferenceTable();
  return currentTable;
}

function unmarked(stack: Stack, value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(v => unmarked(stack, v));
  }
  if (typeof value === 'object' && value !== null) {
    const ref = currentTable.unmark(value as never);
    if (ref !== undefined) {
      const id = stack.resolve(ref.target.logicalId);
      return ref.attribute === 'Ref' ? { Ref: id } : { 'Fn::GetAtt': [id, ref.attribute] };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmarked(stack, v)]));
  }
  return value;
}

/** Keys in lower case, intrinsics' names kept: typed values and the template spell names differently. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(lowerKeys);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.startsWith('Fn::') || k === 'Ref' ? k : k.toLowerCase(), lowerKeys(v)]));
  }
  return value;
}

function templateView(stack: Stack, resource: CfnResource): unknown {
  const id = stack.resolve(resource.logicalId);
  return Template.fromStack(stack).toJSON().Resources[id].Properties;
}

const CASES: { [name: string]: (stack: Stack, bucket: s3.CfnBucket, key: kms.CfnKey) => void } = {
  'a token of another resource replaces a whole value': (_s, b, k) => b.addPropertyOverride('BucketEncryption', { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: k.attrArn } }] }),
  'an intrinsic override replaces an object, never merges into it': (_s, b) => b.addPropertyOverride('BucketEncryption', Fn.conditionIf('C', { A: 1 }, Fn.ref('AWS::NoValue'))),
  'overrides merge into list elements by index': (_s, b) => b.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BucketKeyEnabled', true),
  'deletion of one nested property': (_s, b) => b.addPropertyDeletionOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault'),
  'a lazy override that produces nothing deletes': (_s, b) => b.addPropertyOverride('VersioningConfiguration', Lazy.any({ produce: () => undefined })),
  'deleting Properties removes them all': (_s, b) => b.addDeletionOverride('Properties'),
  'a parameter list in place of a list': (s, b) => b.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration', new CfnParameter(s, 'Rules', { type: 'CommaDelimitedList' }).valueAsList),
  'an override of the whole Properties with a token': (s, b) => b.addOverride('Properties', Fn.conditionIf(new CfnCondition(s, 'D', { expression: Fn.conditionEquals('a', 'b') }).logicalId, {}, { BucketName: 'x' })),
};

describe('rendering equals the synthesized template', () => {
  for (const [name, apply] of Object.entries(CASES)) {
    test(name, () => {
      const stack = newStack(newApp());
      const key = new kms.CfnKey(stack, 'Key', { keyPolicy: { Statement: [] } });
      const bucket = new s3.CfnBucket(stack, 'Bucket', {
        bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
        versioningConfiguration: { status: 'Enabled' },
      });
      new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'a') });
      apply(stack, bucket, key);
      const template = templateView(stack, bucket) as { [key: string]: unknown } | undefined;
      expect(gateView(stack, bucket)).toEqual(template);
      // Each property rendered alone reads the same (typed values keep camelCase keys).
      const record = new AppIndex(stack.node.root, table()).recordOf(bucket);
      for (const property of ['BucketEncryption', 'VersioningConfiguration', 'BucketName']) {
        const alone = record.property(property);
        const expected = template?.[property];
        expect(alone === WHOLE ? 'whole' : lowerKeys(unmarked(stack, alone))).toEqual(alone === WHOLE ? 'whole' : lowerKeys(expected));
      }
    });
  }
});
