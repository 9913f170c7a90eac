import { AWS_MANAGED_KEY_ALIASES } from '../../aws/managed-keys';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField, Verdict } from '../../engine/rule';
import { field, readObject } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { judgeCustomerManagedKey } from '../customer-managed-keys';

const GLOBAL_TABLE = 'AWS::DynamoDB::GlobalTable';

/**
 * CEG-DDB-1: a DynamoDB table (or global table) declares server-side encryption with KMS; with
 * `requireCustomerManagedKeys`, a customer managed key (on every replica of a global table).
 *
 * DynamoDB encrypts every table, but without `SSEEnabled` it uses an AWS owned key: no key policy
 * governs it and CloudTrail records no use of it.
 */
export const tableEncryption: Rule = {
  id: 'CEG-DDB-1',
  service: RuleService.DYNAMODB,
  title: 'DynamoDB tables and global tables declare server-side encryption with KMS (a customer managed key with `requireCustomerManagedKeys`)',
  rationale:
    'DynamoDB encrypts every table, but without SSESpecification.SSEEnabled it uses an AWS owned key that no key policy governs and whose '
    + 'use CloudTrail does not record; the AWS managed key aws/dynamodb is recorded but its policy cannot be changed, so only a customer '
    + 'managed key lets access to the data be limited, shared or cut off by key policy.',
  fix: 'Set `encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED` with `encryptionKey` (or `AWS_MANAGED`) on `Table`, or '
    + '`TableEncryptionV2.customerManagedKey(key, replicaKeyArns)` on `TableV2`; on an L1, set `SSESpecification.SSEEnabled: true`, '
    + '`SSEType: KMS` and `KMSMasterKeyId` (on a global table, in each replica\'s `SSESpecification`).',
  resourceTypes: ['AWS::DynamoDB::Table', GLOBAL_TABLE],
  defaultLevel: FindingLevel.ERROR,

  check(table, context) {
    const global = table.type === GLOBAL_TABLE;
    const noun = global ? 'global table' : 'table';
    const enabled = table.boolean('SSESpecification', 'SSEEnabled');
    if (!enabled.known) {
      return unresolvableField(enabled);
    }
    if (enabled.value !== true) {
      const state = enabled.value === false ? 'sets SSESpecification.SSEEnabled to false' : 'does not set SSESpecification.SSEEnabled';
      return nonCompliant(`The ${noun} ${state}, so DynamoDB encrypts it with an AWS owned key that no key policy governs and CloudTrail does not record`,
        enabled.location);
    }
    if (!context.settings.requireCustomerManagedKeys) {
      return COMPLIANT;
    }
    if (!global) {
      return judgeCustomerManagedKey(table.read('SSESpecification', 'KMSMasterKeyId'), 'The table', 'Properties.SSESpecification.KMSMasterKeyId',
        AWS_MANAGED_KEY_ALIASES.dynamodb);
    }
    const replicas = table.list('Replicas');
    if (!replicas.known) {
      return unresolvableField(replicas);
    }
    for (const [i, replica] of (replicas.value ?? []).entries()) {
      const verdict = judgeReplica(replica, i);
      if (verdict !== COMPLIANT) {
        return verdict;
      }
    }
    return COMPLIANT;
  },
};

function judgeReplica(replica: unknown, i: number): Verdict {
  const location = `Properties.Replicas.${i}.SSESpecification.KMSMasterKeyId`;
  const sse = readObject(field(replica, 'SSESpecification'), `Replicas.${i}.SSESpecification`);
  if (!sse.known) {
    return unresolvable(sse.why, location);
  }
  const region = field(replica, 'Region');
  const subject = `The replica in ${typeof region === 'string' ? region : `Replicas[${i}]`}`;
  return judgeCustomerManagedKey(field(sse.value, 'KMSMasterKeyId'), subject, location, AWS_MANAGED_KEY_ALIASES.dynamodb);
}
