import { CfnResource, Stack } from 'aws-cdk-lib';
import { ReferenceTable } from './resource-reference';
import { intrinsicName, JsonObject, MACRO } from '../aws/json';
import { cfnPropertiesOf, rawOverridesOf, renderPropertiesOf } from '../private/cdk-internals';

/**
 * One top-level property of a resource as its template will show it, rendered alone (the typed
 * value resolved) when no escape hatch touches it.
 * Property names inside the typed value keep their camelCase spelling, which names the same
 * CloudFormation property case-insensitively; readers compare names that way. `WHOLE` when an
 * escape hatch touches the property (or all of them): then `renderResource` tells.
 */
export function renderProperty(resource: CfnResource, stack: Stack, table: ReferenceTable, props: PropertyLookup, name: string): unknown {
  const overrides = rawOverridesOf(resource);
  if (Object.prototype.hasOwnProperty.call(overrides, 'Properties')) {
    const all = overrides.Properties;
    // Escape hatches on this property, or on all of them (an intrinsic in place of them all, or a
    // macro given them all): only CDK's own rendering of the whole resource (the typed converter's
    // keys included) says exactly what they leave.
    if (typeof all !== 'object' || all === null || Array.isArray(all) || !isPlain(all) || Object.prototype.hasOwnProperty.call(all, name)
      || intrinsicName(all) !== undefined || Object.prototype.hasOwnProperty.call(all, MACRO)) {
      return WHOLE;
    }
  }
  // A macro among the properties gets them all and returns what CloudFormation deploys.
  return props.get(MACRO) !== undefined ? WHOLE : table.resolve(stack, props.get(name));
}

/** Marks a property read that needs the whole resource rendered. */
export const WHOLE = Symbol('whole resource');

function isPlain(value: unknown): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A resource's properties as the L1 holds them, looked up by CloudFormation name: a typed L1 holds
 * `bucketEncryption`, a plain or included one `BucketEncryption`. The exact name wins, then the first
 * key (in the object's order) equal to it in any case. Which key that is depends only on the list of
 * keys, which every instance of a generated L1 class shares: for those it is worked out once per
 * class (see `PropertyNames`), for others once per instance.
 */
export class PropertyLookup {
  private lowerKeys?: ReadonlyMap<string, string>;
  /** Which key answers each name, for every instance of a generated L1 class (see `PropertyNames.fixedKeys`). */
  private readonly fixed?: Map<string, string | null>;

  constructor(private readonly props: JsonObject, names: PropertyNames, shape: unknown) {
    this.fixed = names.fixedKeys(shape);
  }

  public get(name: string): unknown {
    const fixed = this.fixed;
    if (fixed === undefined) {
      const key = this.keyOf(name);
      return key === undefined ? undefined : this.props[key];
    }
    let key = fixed.get(name);
    if (key === undefined) {
      key = this.keyOf(name) ?? null;
      fixed.set(name, key);
    }
    return key === null ? undefined : this.props[key];
  }

  private keyOf(name: string): string | undefined {
    const props = this.props;
    if (Object.prototype.hasOwnProperty.call(props, name)) {
      return name;
    }
    if (this.lowerKeys === undefined) {
      this.lowerKeys = lowerCaseKeys(Object.keys(props));
    }
    return this.lowerKeys.get(name.toLowerCase());
  }
}

/**
 * Which key answers each property name, remembered per generated L1 class for every evaluation
 * (an app of 400 Stages has 400): a pure function of the class's fixed list of keys, so sharing it
 * cannot change a verdict.
 */
export class PropertyNames {
  private static readonly fixed = new WeakMap<object, Map<string, string | null> | false>();

  /**
   * For a generated L1 class (aws-cdk-lib's own, with its `CFN_RESOURCE_TYPE_NAME` and its own
   * `cfnProperties` getter), one map of which key answers each name, shared by all its instances:
   * that getter returns an object literal, the same keys in the same order every time, and which
   * key answers a name depends on nothing else. `undefined` for any other class (a plain
   * `CfnResource`, an included template's, a subclass that may override the getter).
   */
  public fixedKeys(shape: unknown): Map<string, string | null> | undefined {
    if (typeof shape !== 'function') {
      return undefined;
    }
    let fixed = PropertyNames.fixed.get(shape);
    if (fixed === undefined) {
      const generated = Object.prototype.hasOwnProperty.call(shape, 'CFN_RESOURCE_TYPE_NAME')
        && typeof Object.getOwnPropertyDescriptor(shape.prototype, 'cfnProperties')?.get === 'function';
      fixed = generated ? new Map() : false;
      PropertyNames.fixed.set(shape, fixed);
    }
    return fixed === false ? undefined : fixed;
  }

}

/** By lower-case name, the first key (in the object's order) with that name. */
function lowerCaseKeys(keys: readonly string[]): ReadonlyMap<string, string> {
  const lower = new Map<string, string>();
  for (const key of keys) {
    const name = key.toLowerCase();
    if (!lower.has(name)) {
      lower.set(name, key);
    }
  }
  return lower;
}

/** A resource as its template will show it: properties and condition, escape hatches applied. */
export interface RenderedResource {
  /**
   * `Properties`, with CloudFormation names and intrinsics as the template has them (an escape
   * hatch may even put an intrinsic in place of them all); references to app resources are marked.
   */
  readonly properties: unknown;
  /** The logical ID of the resource's `Condition`, if any (the resource may not exist). */
  readonly condition: unknown;
}

/**
 * Renders one resource the way `CfnResource` renders it into the template: the typed properties
 * are resolved, then written under their CloudFormation names, then the resolved escape hatches
 * are deep-merged in with CloudFormation's rule that an intrinsic is a leaf (it replaces what was
 * there and is never merged into). A deletion override of `Properties` removes them all.
 */
export function renderResource(resource: CfnResource, stack: Stack, table: ReferenceTable): RenderedResource {
  const resolved = table.resolve(stack, cfnPropertiesOf(resource)) as JsonObject | undefined;
  let rendered: JsonObject | undefined;
  try {
    rendered = renderPropertiesOf(resource, resolved ?? {});
  } catch {
    // The typed L1's own validation refuses the props (CDK's synthesis will say why). Judge them
    // as given: property names then match case-insensitively.
    rendered = resolved;
  }
  const hasDefined = rendered !== undefined && Object.values(rendered).some(v => v !== undefined);
  const condition = resource.cfnOptions.condition;
  const definition: JsonObject = {
    Properties: hasDefined ? rendered : undefined,
    Condition: condition === undefined ? undefined : table.resolve(stack, condition.logicalId),
  };
  const overrides = rawOverridesOf(resource);
  if (Object.keys(overrides).length > 0) {
    mergeLikeCloudFormation(definition, table.resolve(stack, overrides, true) as JsonObject);
  }
  return { properties: definition.Properties, condition: definition.Condition };
}

/** Keys that make a one-key object an intrinsic: never merged into, only replaced. */
const LEAF_INTRINSICS = new Set([
  'Ref', 'Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select',
  'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Fn::And', 'Fn::Equals', 'Fn::If', 'Fn::Not', 'Fn::Or',
]);

function isLeafIntrinsic(value: unknown): boolean {
  const fn = intrinsicName(value);
  return fn !== undefined && LEAF_INTRINSICS.has(fn);
}

/**
 * CDK's deep merge of overrides into a rendered resource (`deepMerge` in aws-cdk-lib): objects
 * merge key by key, `undefined` deletes, an intrinsic on either side replaces, and an object left
 * empty by deletions disappears.
 */
export function mergeLikeCloudFormation(target: JsonObject, source: JsonObject): JsonObject {
  for (const sourceKey of Object.keys(source)) {
    if (sourceKey === '__proto__' || sourceKey === 'constructor' || sourceKey === 'prototype') {
      continue;
    }
    const value = source[sourceKey];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // Like CDK: a list stays a list and `List.0.Key` overrides merge into its elements.
      const existing = target[sourceKey];
      if (typeof existing !== 'object' || existing === null || isLeafIntrinsic(existing) || isLeafIntrinsic(value)) {
        target[sourceKey] = {};
      }
      mergeLikeCloudFormation(target[sourceKey] as JsonObject, value as JsonObject);
      if (Object.keys(target[sourceKey] as JsonObject).length === 0) {
        delete target[sourceKey];
      }
    } else if (value === undefined) {
      delete target[sourceKey];
    } else {
      target[sourceKey] = value;
    }
  }
  return target;
}
