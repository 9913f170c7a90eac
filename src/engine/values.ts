import { isResourceReference } from './reference-resolver';

/**
 * Tri-state reading of CloudFormation values: a value is either known at synth time, or we say why
 * it is not. Every rule reads through these helpers, so "unresolvable" is decided in one place and
 * is never mistaken for a pass.
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

/** A plain JSON object (not an array, not null). */
export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isResourceReference(value);
}

/**
 * If `value` is a CloudFormation intrinsic (`{ Ref }`, `{ Fn::... }`), its function name.
 */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return undefined;
  }
  const key = keys[0];
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

/** Says, in words a user understands, why an intrinsic cannot be known at synth time. */
export function describeIntrinsic(value: JsonObject, name: string): string {
  const arg = value[name];
  switch (name) {
    case 'Ref':
      return `it is a Ref to "${String(arg)}", a parameter or attribute known only at deploy time`;
    case 'Fn::If':
      return `it is chosen by Fn::If on condition "${Array.isArray(arg) ? String(arg[0]) : '?'}"`;
    case 'Fn::ImportValue':
      return `it is imported with Fn::ImportValue ${JSON.stringify(arg)} from outside this app`;
    case 'Fn::FindInMap':
      return 'it is looked up with Fn::FindInMap at deploy time';
    default:
      return `it is computed by ${name} at deploy time`;
  }
}

/**
 * Case-insensitive field access. Typed L1 properties are camelCase (`sseAlgorithm`), rendered and
 * overridden ones are CloudFormation names (`SSEAlgorithm`); both spell the same word.
 */
export function field(obj: unknown, name: string): unknown {
  if (Array.isArray(obj)) {
    return /^\d+$/.test(name) ? obj[Number(name)] : undefined;
  }
  if (!isObject(obj)) {
    return undefined;
  }
  if (name in obj) {
    return obj[name];
  }
  // Typed L1 values spell CloudFormation names in camelCase: try that before scanning the keys.
  const camel = camelName(name);
  if (camel in obj) {
    return obj[camel];
  }
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

const camelCache = new Map<string, string>();

/**
 * The jsii (typed L1) spelling of a CloudFormation property name: acronyms are words, so
 * `BucketEncryption` -> `bucketEncryption`, `SourceDBInstanceIdentifier` -> `sourceDbInstanceIdentifier`,
 * `KMSMasterKeyID` -> `kmsMasterKeyId`, `SSEAlgorithm` -> `sseAlgorithm`.
 */
export function camelName(name: string): string {
  let camel = camelCache.get(name);
  if (camel === undefined) {
    const words = name.match(/[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z0-9]+|[A-Z]+/g) ?? [name];
    camel = words.map((w, i) => i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
    camelCache.set(name, camel);
  }
  return camel;
}

export function findKey(obj: JsonObject, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) {
    if (key.toLowerCase() === lower) {
      return key;
    }
  }
  return undefined;
}

/**
 * Reads a boolean the way CloudFormation does (`true`, `"true"`, any case).
 * `what` names the property in the message.
 */
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
  return unknownBecause(value, what);
}

/** Reads a string; intrinsics are unknown. */
export function readString(value: unknown, what: string): Reading<string | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  if (typeof value === 'string' || typeof value === 'number') {
    return known(String(value));
  }
  return unknownBecause(value, what);
}

/** Reads a list; an intrinsic in place of the list is unknown. */
export function readList(value: unknown, what: string): Reading<unknown[] | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  if (Array.isArray(value)) {
    return known(value);
  }
  return unknownBecause(value, what);
}

/** Reads an object; an intrinsic in place of the object is unknown. */
export function readObject(value: unknown, what: string): Reading<JsonObject | undefined> {
  if (value === undefined || value === null) {
    return known(undefined);
  }
  const fn = intrinsicName(value);
  if (isObject(value) && fn === undefined) {
    return known(value);
  }
  return unknownBecause(value, what);
}

function unknownBecause(value: unknown, what: string): Unknown {
  if (isResourceReference(value)) {
    return unknown(`${what} cannot be known at synth time: it is ${value.toJSON()}, an attribute of another resource known only at deploy time`);
  }
  const fn = intrinsicName(value);
  if (fn !== undefined) {
    return unknown(`${what} cannot be known at synth time: ${describeIntrinsic(value as JsonObject, fn)}`);
  }
  return unknown(`${what} has an unexpected value ${JSON.stringify(value)}`);
}

/** Whether a property is present at all, whatever its value (a Ref to a key is still a key). */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
