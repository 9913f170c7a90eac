import { Stack } from 'aws-cdk-lib';
import { DEPLOY_REGION, literalTextOf } from '../aws/literal-text';
import { isAwsManagedKeyAlias } from '../aws/managed-keys';
import { environmentOf } from '../engine/environments';
import { isResourceReference, ResourceReference } from '../engine/resource-reference';
import { COMPLIANT, nonCompliant, unresolvable, Verdict } from '../engine/rule';
import { intrinsicName, JsonObject, readString } from '../engine/values';
import { templateTypeOf } from '../private/cdk-internals';

/** The CloudFormation types of keys a customer manages. */
const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::KMS::ReplicaKey'];

/**
 * The verdict on one key identifier (`KmsKeyId`, `KMSMasterKeyId`) under
 * `requireCustomerManagedKeys`: a key or alias of the app (also an ARN built around one), or a
 * literal key ID, key ARN or alias other than `alias/aws/...`, is customer managed; no key means
 * the service's AWS managed key `managedAlias`.
 */
export function judgeCustomerManagedKey(value: unknown, subject: string, location: string, managedAlias: string): Verdict {
  if (value === undefined || value === '') {
    return nonCompliant(`${subject} names no KMS key, so it is encrypted with the AWS managed key ${managedAlias}, but requireCustomerManagedKeys asks for a customer managed key`, location);
  }
  if (appKeyIn(value) !== undefined) {
    return COMPLIANT;
  }
  // A key ID, key ARN or alias spelled out at synth time, also one CDK builds with the partition,
  // Region and account (`Alias.fromAliasName`, `formatArn`): only `alias/aws/...` is AWS managed.
  const literal = keyIdentifierText(value);
  if (literal !== undefined) {
    return isAwsManagedKeyAlias(literal)
      ? nonCompliant(`${subject} names the AWS managed key ${aliasIn(literal)}, but requireCustomerManagedKeys asks for a customer managed key`, location)
      : COMPLIANT;
  }
  if (literalTextOf(value) !== undefined) {
    return unresolvable(PARTITION_ALIAS(subject), location);
  }
  if (isResourceReference(value)) {
    return unresolvable(`${subject}'s key is ${value.toJSON()}, which is not a KMS key or alias of this app`, location);
  }
  const key = readString(value, 'the key');
  if (!key.known) {
    return unresolvable(`Whether ${lowerFirst(subject)} uses a customer managed key cannot be known at synth time: ${key.why}`, location);
  }
  return COMPLIANT;
}

/**
 * The literal text of a key identifier (see `literalTextOf`) when it tells a customer managed key
 * from an AWS managed one: not when a pseudo parameter (`*` there; none holds a `/`) may spell the
 * first word of the alias name, which `aws` makes AWS managed. Only the partition can, standing
 * alone (a nested stack's name is `<parent>-<id>-<suffix>`): `alias/${AWS::Partition}/s3` is
 * `alias/aws/s3`; `alias/${AWS::AccountId}/s3` and `alias/${AWS::Partition}-team/s3` are a customer's.
 */
export function keyIdentifierText(value: unknown): string | undefined {
  const literal = literalTextOf(value);
  if (literal === undefined || !/^(alias\/)?[^/:]*\*/.test(aliasIn(literal))) {
    return literal;
  }
  // Read again with the partition spelled `\u0000`, to see whether it is the first word.
  const marked = JSON.parse(JSON.stringify(value)
    .replace(/\{"Ref":"AWS::Partition"\}/g, '"\\u0000"').replace(/\$\{AWS::Partition\}/g, '\\u0000')) as unknown;
  return /^(alias\/)?\u0000\//.test(aliasIn(literalTextOf(marked) ?? '')) ? undefined : literal;
}

/** Why a key named by an alias whose first word is the partition is unresolvable. */
export const PARTITION_ALIAS = (subject: string) =>
  `${subject} names its key by an alias whose first word is the partition, which makes it the AWS managed key alias/aws/... in the aws partition`;

/** The alias an alias ARN names (`alias/aws/s3`), or the identifier itself. */
export function aliasIn(keyId: string): string {
  const at = keyId.indexOf('alias/');
  return at < 0 ? keyId : keyId.slice(at);
}

/**
 * The KMS key or alias of the app a key identifier names: a reference to one, or a KMS ARN that ends
 * with one (`formatArn`, `arn:...:kms:<region>:<account>:key/${keyId}` however the joins nest, an
 * alias ARN). A reference elsewhere in the value (an element `Fn::Select` may or may not pick, text
 * around it) names nothing for sure.
 */
export function appKeyIn(value: unknown): ResourceReference | undefined {
  const parts = flatParts(value);
  const last = parts?.[parts.length - 1];
  if (parts === undefined || !isResourceReference(last) || !KEY_TYPES.includes(templateTypeOf(last.target))) {
    return undefined;
  }
  const head = parts.slice(0, -1).map(p => typeof p === 'string' ? p : '*').join('');
  return head === '' || /^arn:[^:]+:kms:[^:]*:[^:]*:(key\/)?$/.test(head) ? last : undefined;
}

/**
 * A value as the text it joins, part by part (literals, pseudo parameters, references), however its
 * `Fn::Join`s nest; `undefined` when another intrinsic takes part.
 */
function flatParts(value: unknown): unknown[] | undefined {
  if (typeof value === 'string' || isResourceReference(value)) {
    return [value];
  }
  const fn = intrinsicName(value);
  if (fn === 'Ref' && String((value as JsonObject).Ref).startsWith('AWS::')) {
    return [value];
  }
  const args = fn === 'Fn::Join' ? (value as JsonObject)[fn] : undefined;
  if (!Array.isArray(args) || typeof args[0] !== 'string' || !Array.isArray(args[1])) {
    return undefined;
  }
  const out: unknown[] = [];
  for (const [i, part] of (args[1] as unknown[]).entries()) {
    const inner = flatParts(part);
    if (inner === undefined) {
      return undefined;
    }
    out.push(...(i > 0 && args[0] !== '' ? [args[0]] : []), ...inner);
  }
  return out;
}

/** The Region of a stack, or `DEPLOY_REGION` when it is known only at deploy time. */
export function regionOf(stack: Stack): string {
  return environmentOf(stack).region ?? DEPLOY_REGION;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
