import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ANY_RUN, ArnSetPart, coverEvery, matchSome, opaqueValue } from './arn-patterns';
import { Tri } from './iam-conditions';
import { asList, fieldOf as field, JsonObject } from './json';

/**
 * Every key ARN of the key's partition, Region and account: the Region and account known only at
 * deploy time, seen from its own policy; the partition too, unless the stack's Region tells it.
 */
function keyArns(partition: string | undefined): ArnSetPart[] {
  return [`arn:${partition ?? opaqueValue(19)}:kms:${opaqueValue(20)}:${opaqueValue(21)}:key/`, ANY_RUN];
}

/**
 * Whether a key policy statement applies to the key: in a key policy `Resource: "*"` is the key
 * itself; a pattern that matches every key ARN does too, one that matches none does not, and
 * `NotResource` the other way round. A literal ARN may or may not be the key's (its ID is made at
 * creation): `undefined`. `partition` is the key's (`aws`, `aws-cn`), `undefined` when only the
 * deployment tells: then `arn:aws:kms:*` may or may not be the key's.
 */
export function appliesToKey(statement: JsonObject, partition: string | undefined): Tri {
  const notResource = field(statement, 'NotResource');
  const resource = field(statement, 'Resource');
  if (notResource === undefined && resource === undefined) {
    return true;
  }
  const patterns = asList(notResource ?? resource);
  if (!patterns.every((p): p is string => typeof p === 'string')) {
    return undefined;
  }
  const arns = keyArns(partition);
  const matches: Tri = coverEvery(patterns, arns) === true ? true : matchSome(patterns, arns) === false ? false : undefined;
  return notResource === undefined || matches === undefined ? matches : !matches;
}

/**
 * The partition of a stack's Region (`aws`, `aws-cn`, `aws-us-gov`, ...), `undefined` when the
 * Region is left to the deployment or unknown to aws-cdk-lib (`Stack.partition` is always a token).
 */
export function partitionOf(stack: Stack): string | undefined {
  return Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).partition;
}
