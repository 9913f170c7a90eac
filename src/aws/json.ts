/**
 * Plain JSON helpers for AWS documents (policies, templates). Nothing here knows the gate: the
 * constructs and the rules both read AWS documents through these.
 */

/** A plain JSON object (not an array, not null). */
export type JsonObject = { [key: string]: unknown };

/** Whether a value is a plain object: not null, not an array, not a class instance. */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * If `value` is a CloudFormation intrinsic (`{ Ref }`, `{ Fn::... }`, `{ Condition }`), its
 * function name.
 */
export function intrinsicName(value: unknown): string | undefined {
  if (!isJsonObject(value)) {
    return undefined;
  }
  // The one own key, found without listing the keys: asked of nearly every value the gate reads.
  let key: string | undefined;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) {
      continue;
    }
    if (key !== undefined) {
      return undefined;
    }
    key = k;
  }
  return key !== undefined && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')) ? key : undefined;
}

/**
 * The key of a macro call (`Fn::Transform`): CloudFormation hands the macro the object holding it
 * (the keys beside it too) and puts what the macro returns in its place.
 */
export const MACRO = 'Fn::Transform';

/** Whether an object holds a macro call (`Fn::Transform`), alone or beside other keys. */
export function hasMacro(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, MACRO);
}

/**
 * The macro call alone (`{ Fn::Transform: ... }`) of a plain object that holds one: what the object
 * is once CloudFormation has run the macro. `undefined` for anything else.
 */
export function macroCallOf(value: unknown): JsonObject | undefined {
  return hasMacro(value) && isJsonObject(value) ? { [MACRO]: value[MACRO] } : undefined;
}

const ASCII = /^[\x00-\x7f]*$/;

/** A field of a JSON object, by exact name, then case-insensitively (IAM keys are case-insensitive). */
export function fieldOf(obj: unknown, name: string): unknown {
  if (!isJsonObject(obj)) {
    return undefined;
  }
  if (Object.prototype.hasOwnProperty.call(obj, name)) {
    return obj[name];
  }
  const lower = name.toLowerCase();
  // Lower-casing keeps the length of a name in ASCII (every name the gate asks for), and no key of
  // another length lower-cases to it: those are skipped without lower-casing them.
  const ascii = ASCII.test(name);
  for (const key of Object.keys(obj)) {
    if ((!ascii || key.length === name.length) && key.toLowerCase() === lower) {
      return obj[key];
    }
  }
  return undefined;
}

/** A field that may be one value or a list of them, as a list. */
export function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
