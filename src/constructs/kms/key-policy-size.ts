import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { intrinsicName } from '../../aws/json';

/** The longest key policy KMS takes, in characters (32 KB). */
const MAX_KEY_POLICY = 32_768;

/**
 * Refuses a key policy surely longer than KMS takes: its length with every value known only at
 * deploy time counted as an empty string (CreateKey or PutKeyPolicy would fail). Warns of one that
 * may be: counted as rendered, where an ARN's intrinsic stands for the ARN.
 */
export function keyPolicySizeErrors(document: unknown, key: IConstruct | undefined): string[] {
  const least = JSON.stringify(withoutIntrinsics(document)).length;
  const path = key?.node.path ?? 'a key';
  if (least > MAX_KEY_POLICY) {
    return [`The key policy of ${path} is at least ${least.toLocaleString('en-US')} characters long, but KMS takes at most 32,768: CreateKey or `
      + 'PutKeyPolicy would fail. Grant fewer principals one by one on this key (a role per application rather than one grant per resource and '
      + 'role), or give some of the resources a key of their own.'];
  }
  const rendered = JSON.stringify(document).length;
  if (rendered > MAX_KEY_POLICY && key !== undefined) {
    Annotations.of(key).addWarningV2('cdk-encryption-guard:KeyPolicySize', `The key policy of ${path} may be longer than the 32,768 characters `
      + `KMS takes (${rendered.toLocaleString('en-US')} as rendered, with intrinsics in place of ARNs): grant fewer principals one by one on this key.`);
  }
  return [];
}

/** The value with every intrinsic replaced by an empty string, its shortest possible value. */
function withoutIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutIntrinsics);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (intrinsicName(value) !== undefined) {
    return '';
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIntrinsics(v)]));
}
