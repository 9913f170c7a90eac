import { isResourceReference } from './resource-reference';
import { fieldOf, intrinsicName, isJsonObject, JsonObject } from '../aws/json';

/**
 * Known or unknown: the one encoding of "what the gate can tell at synth time". A value is either
 * known (possibly `undefined`: the property is absent), or unknown with the reason, which becomes
 * an "unresolvable" finding: never a pass.
 */

/** A value that is known at synth time (possibly `undefined`: the property is absent). */
export interface Known<T> {
  readonly known: true;
  readonly value: T;
}

/** A value only known at deploy time, and why. */
export interface Unknown {
  readonly known: false;
  readonly why: string;
}

export type Reading<T> = Known<T> | Unknown;

export function known<T>(value: T): Known<T> {
  return { known: true, value };
}

export function unknown(why: string): Unknown {
  return { known: false, why };
}

export { JsonObject, intrinsicName };

/** A plain JSON object (not an array, not null, not a reference). */
export function isObject(value: unknown): value is JsonObject {
  return isJsonObject(value);
}

/** A field of a template object, by its CloudFormation name (any case); list elements by index. */
export function field(obj: unknown, name: string): unknown {
  if (Array.isArray(obj)) {
    return /^\d+$/.test(name) ? obj[Number(name)] : undefined;
  }
  return intrinsicName(obj) === undefined ? fieldOf(obj, name) : undefined;
}

/** Says, in words a user understands, why an intrinsic cannot be known at synth time. */
export function describeIntrinsic(value: JsonObject, name: string): string {
  const arg = value[name];
  switch (name) {
    case 'Ref':
      return `it is a Ref to "${String(arg)}", a parameter or attribute known only at deploy time`;
    case 'Fn::ImportValue':
      // An export of the app that it surely reads is read already, when its value means the same here.
      return `it is imported with Fn::ImportValue ${JSON.stringify(arg)}, whose value only the deployment tells (an export of another app, `
        + 'of a stack of this app that may be in another account or Region, or one computed at deploy time)';
    case 'Fn::FindInMap':
      return 'it is looked up with Fn::FindInMap at deploy time';
    default:
      return `it is computed by ${name} at deploy time`;
  }
}

/** Why a value that is not of the expected kind cannot be judged. */
export function whyUnknown(value: unknown, what: string): string {
  if (isResourceReference(value)) {
    return `${what} cannot be known at synth time: it is ${value.toJSON()}, an attribute of another resource known only at deploy time`;
  }
  const fn = intrinsicName(value);
  if (fn !== undefined) {
    return `${what} cannot be known at synth time: ${describeIntrinsic(value as JsonObject, fn)}`;
  }
  return `${what} has an unexpected value ${JSON.stringify(value)}`;
}

/** Reads a boolean the way CloudFormation does (`true`, `"true"`, any case). */
export function readBoolean(value: unknown, what: string): Reading<boolean | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  if (typeof value === 'boolean') {
    return known(value);
  }
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return known(lower === 'true');
    }
    return unknown(`${what} is "${value}", which is not a boolean`);
  }
  return unknown(whyUnknown(value, what));
}

/** Reads a string (numbers too); intrinsics are unknown. */
export function readString(value: unknown, what: string): Reading<string | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  if (typeof value === 'string' || typeof value === 'number') {
    return known(String(value));
  }
  return unknown(whyUnknown(value, what));
}

/** Reads a list; an intrinsic in place of the list (a list parameter, `Fn::Split`) is unknown. */
export function readList(value: unknown, what: string): Reading<unknown[] | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  if (Array.isArray(value)) {
    return known(value);
  }
  return unknown(whyUnknown(value, what));
}

/** Reads an object; an intrinsic in place of the object is unknown. */
export function readObject(value: unknown, what: string): Reading<JsonObject | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  if (isJsonObject(value) && intrinsicName(value) === undefined) {
    return known(value);
  }
  return unknown(whyUnknown(value, what));
}

/** Whether a property is present at all, whatever its value (a Ref to a key is still a key). */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
