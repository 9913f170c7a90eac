import { Stack } from 'aws-cdk-lib';
import { arnSegment, DEPLOY_REGION, literalTextOf } from '../../aws/literal-text';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, Rule, unresolvable, unresolvableField } from '../../engine/rule';
import { field, isPresent, readObject, whyUnknown } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { appKeyIn, regionOf } from '../customer-managed-keys';

/**
 * CEG-DDB-2: when a global table is encrypted with customer managed keys, every replica names a
 * key of its own Region.
 *
 * A KMS key is regional: a replica needs a key in its Region. A replica without a key while others
 * have one is encrypted differently from the rest of the table; a key ARN of another Region fails
 * the deployment or the replica's creation.
 */
export const replicaKeys: Rule = {
  id: 'CEG-DDB-2',
  service: RuleService.DYNAMODB,
  title: 'Global tables encrypted with customer managed keys give every replica a key in its own Region',
  rationale:
    'KMS keys are regional, so each replica of a global table is encrypted with a key of its own Region. A replica left without a key while '
    + 'others name one falls back to the AWS managed key aws/dynamodb there, and a key of another Region cannot encrypt it.',
  fix: 'Use `TableEncryptionV2.customerManagedKey(key, { region: keyArn, ... })` with a key ARN (a `MultiRegionKey` replica, for example) '
    + 'for every replica Region; on an L1, set `Replicas[].SSESpecification.KMSMasterKeyId` on each replica to a key of that replica\'s Region.',
  resourceTypes: ['AWS::DynamoDB::GlobalTable'],
  defaultLevel: FindingLevel.ERROR,

  check(table) {
    const enabled = table.boolean('SSESpecification', 'SSEEnabled');
    if (!enabled.known) {
      return unresolvableField(enabled);
    }
    if (enabled.value !== true) {
      return NOT_APPLICABLE;
    }
    const replicas = table.list('Replicas');
    if (!replicas.known) {
      return unresolvableField(replicas);
    }
    const list = replicas.value ?? [];
    const keys: unknown[] = [];
    for (const [i, replica] of list.entries()) {
      const sse = readObject(field(replica, 'SSESpecification'), `Replicas.${i}.SSESpecification`);
      if (!sse.known) {
        return unresolvable(sse.why, `Properties.Replicas.${i}.SSESpecification`);
      }
      keys.push(field(sse.value, 'KMSMasterKeyId'));
    }
    if (!keys.some(isPresent)) {
      // Every replica uses aws/dynamodb of its Region (CEG-DDB-1 judges that under requireCustomerManagedKeys).
      return COMPLIANT;
    }
    for (const [i, replica] of list.entries()) {
      const location = `Properties.Replicas.${i}.SSESpecification.KMSMasterKeyId`;
      const region = replicaRegion(field(replica, 'Region'), table.stack);
      if (region === undefined) {
        return unresolvable(whyUnknown(field(replica, 'Region'), `Replicas.${i}.Region`), `Properties.Replicas.${i}.Region`);
      }
      const name = region === DEPLOY_REGION ? 'the stack\'s Region' : region;
      if (!isPresent(keys[i])) {
        return nonCompliant(`The replica in ${name} names no KMSMasterKeyId while other replicas name customer managed keys, so it is encrypted with aws/dynamodb there`, location);
      }
      const keyRegion = regionOfKey(keys[i], table);
      if (keyRegion === undefined) {
        return unresolvable(`The Region of the key of the replica in ${name} cannot be known at synth time: ${whyUnknown(keys[i], 'its KMSMasterKeyId')}`, location);
      }
      if (keyRegion !== 'any' && keyRegion !== region) {
        const other = keyRegion === DEPLOY_REGION ? 'the stack\'s Region' : keyRegion;
        if (keyRegion === DEPLOY_REGION || region === DEPLOY_REGION) {
          return unresolvable(`Whether the key of the replica in ${name}, in ${other}, is in the replica's Region depends on where the stack is deployed`, location);
        }
        return nonCompliant(`The replica in ${name} names a key in ${other}; a replica needs a key in its own Region`, location);
      }
    }
    return COMPLIANT;
  },
};

/** A replica's Region: literal, or `DEPLOY_REGION` for the stack's own (`AWS::Region` of an agnostic stack). */
function replicaRegion(value: unknown, stack: Stack): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return literalTextOf(value) === DEPLOY_REGION ? regionOf(stack) : undefined;
}

/**
 * The Region of a replica's key: from its ARN, or the stack of the app's key; `any` for a key ID or
 * alias name, which DynamoDB looks up in the replica's own Region; `undefined` when unknown.
 */
function regionOfKey(value: unknown, table: ResourceView): string | undefined {
  const key = appKeyIn(value);
  if (key !== undefined && key !== value) {
    // An ARN built around the app's key names its Region itself: a multi-Region key's replica in
    // another Region has the same key ID (`arn:aws:kms:us-west-2:...:key/${key.keyId}`).
    const region = arnSegment(value, 3);
    if (region !== undefined) {
      return namedRegion(region, table);
    }
  }
  if (key !== undefined) {
    const stack = Stack.of(key.target);
    const region = regionOf(stack);
    return region === DEPLOY_REGION && stack !== table.stack ? undefined : region;
  }
  const text = literalTextOf(value);
  if (text === undefined) {
    return undefined;
  }
  return text.startsWith('arn:') ? namedRegion(text.split(':')[3], table) : 'any';
}

/** A Region an ARN names: the table's stack's for `AWS::Region`; `undefined` for a pseudo parameter or nothing. */
function namedRegion(region: string | undefined, table: ResourceView): string | undefined {
  return region === DEPLOY_REGION ? regionOf(table.stack) : region === '*' || region === '' ? undefined : region;
}
