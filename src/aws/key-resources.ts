import { ANY_RUN, ArnSetPart, coverEvery, matchSome, opaqueValue } from './arn-patterns';
import { Tri } from './iam-conditions';
import { asList, fieldOf as field, JsonObject } from './json';

/** Every key ARN of the key's Region and account (both known only at deploy time, seen from its own policy). */
const KEY_ARNS: ArnSetPart[] = [`arn:aws:kms:${opaqueValue(20)}:${opaqueValue(21)}:key/`, ANY_RUN];

/**
 * Whether a key policy statement applies to the key: in a key policy `Resource: "*"` is the key
 * itself; a pattern that matches every key ARN does too, one that matches none does not, and
 * `NotResource` the other way round. A literal ARN may or may not be the key's (its ID is made at
 * creation): `undefined`.
 */
export function appliesToKey(statement: JsonObject): Tri {
  const notResource = field(statement, 'NotResource');
  const resource = field(statement, 'Resource');
  if (notResource === undefined && resource === undefined) {
    return true;
  }
  const patterns = asList(notResource ?? resource);
  if (!patterns.every((p): p is string => typeof p === 'string')) {
    return undefined;
  }
  const matches: Tri = coverEvery(patterns, KEY_ARNS) === true ? true : matchSome(patterns, KEY_ARNS) === false ? false : undefined;
  return notResource === undefined || matches === undefined ? matches : !matches;
}
