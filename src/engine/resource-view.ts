import { CfnResource, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { resolveKeepingReferences } from './reference-resolver';
import { camelName, field, findKey, intrinsicName, isObject, JsonObject } from './values';

/**
 * What CloudFormation will receive for one resource, read from the construct tree on demand.
 *
 * The gate must judge the template as it will be synthesized, escape hatches included, but
 * rendering and resolving every resource a second time would double the cost of synthesis. So a
 * view reads only the property paths a rule asks for: the typed L1 value (camelCase), resolved
 * where it is a token, merged with the raw overrides (`addPropertyOverride`,
 * `addPropertyDeletionOverride`, CloudFormation names) the same way `CfnResource` merges them.
 * Keys are compared case-insensitively, since both spellings name the same property.
 */
export class ResourceView {
  /** The CloudFormation resource type. */
  public readonly type: string;
  private cache?: Map<string, unknown>;
  private _logicalId?: string;
  private _properties?: JsonObject;

  constructor(public readonly resource: CfnResource, public readonly stack: Stack) {
    this.type = resource.cfnResourceType;
  }

  /** The construct path of the L1. */
  public get path(): string {
    return this.resource.node.path;
  }

  /** The construct path relative to its stack, for messages ("Unit0/Template/Resource"). */
  public get displayName(): string {
    const stackPath = this.stack.node.path;
    const path = this.resource.node.path;
    return stackPath === '' ? path : path.slice(stackPath.length + 1);
  }

  /** The logical ID in the stack's template (overrides included). */
  public get logicalId(): string {
    if (this._logicalId === undefined) {
      this._logicalId = this.stack.resolve(this.resource.logicalId) as string;
    }
    return this._logicalId;
  }

  /**
   * The value CloudFormation will see at `Properties.<path...>`, with every token resolved
   * (CloudFormation intrinsics such as `{ Ref }` stay as they are, and references to resources of
   * the app are `ResourceReference`s), or `undefined` when absent.
   */
  public read(...path: string[]): unknown {
    const key = path.length === 1 ? path[0] : path.join('.');
    const cache = this.cache ?? (this.cache = new Map());
    if (cache.has(key)) {
      return cache.get(key);
    }
    const value = this.compute(path, true);
    cache.set(key, value);
    return value;
  }

  /**
   * Whether CloudFormation will see a value at `Properties.<path...>`. Cheaper than `read`: a
   * value that is a reference is present without computing what it refers to.
   */
  public has(...path: string[]): boolean {
    return this.compute(path, false) !== undefined;
  }

  /**
   * The value at `Properties.<path...>` as the L1 holds it, tokens unresolved, when no escape hatch
   * touches the path and no token hides the structure on the way; otherwise `undefined` (then use
   * `read`). For cheap inspection of large values such as policy documents.
   */
  public rawValue(...path: string[]): { readonly value: unknown } | undefined {
    const overrides = overridesOf(this.resource);
    let override: unknown = isPlainObject(overrides) ? stepOverride(overrides, 'Properties') : NO_OVERRIDE;
    let value: unknown = this.topLevel(path[0]);
    for (let i = 0; i < path.length; i++) {
      override = isPlainObject(override) ? stepOverride(override, path[i]) : NO_OVERRIDE;
      if (override !== NO_OVERRIDE) {
        return undefined;
      }
      if (i > 0) {
        if (!(isPlainObject(value) || Array.isArray(value)) || Tokenization.isResolvable(value)) {
          return undefined;
        }
        value = field(value, path[i]);
      }
    }
    return { value };
  }

  private compute(path: string[], resolveLeaf: boolean): unknown {
    // The override tree starts at the resource: step into `Properties` first.
    const all = overridesOf(this.resource);
    let override: unknown = isPlainObject(all) ? stepOverride(all, 'Properties') : NO_OVERRIDE;
    let base: unknown = this.topLevel(path[0]);

    for (let i = 0; i < path.length; i++) {
      const name = path[i];
      if (i > 0) {
        // Step through plain objects as they are; resolve only a token that hides the structure.
        const plain = (isPlainObject(base) || Array.isArray(base)) && !Tokenization.isResolvable(base);
        base = field(plain ? base : this.resolve(base), name);
      }
      override = isPlainObject(override) ? stepOverride(override, name) : NO_OVERRIDE;
      if (override === NO_OVERRIDE) {
        continue;
      }
      if (override === undefined) {
        // A deletion override: the property is gone, whatever the L1 says.
        return undefined;
      }
      if (!isPlainObject(override) || intrinsicName(override) !== undefined) {
        // A scalar, list or intrinsic replaces the value at this level.
        base = this.resolve(override);
        override = NO_OVERRIDE;
      }
    }
    if (isPlainObject(override)) {
      // Overrides below this path merge into the value, as CfnResource merges them.
      return mergeOverride(this.resolve(base), this.resolve(override) as JsonObject);
    }
    return resolveLeaf ? this.resolve(base) : base;
  }

  private topLevel(name: string): unknown {
    const resource = this.resource as unknown as JsonObject;
    const camel = camelName(name);
    // Typed L1s expose each property as a field of the same (camelCase) name.
    if (camel in resource && name !== 'Tags') {
      return resource[camel];
    }
    return field(this.properties(), name);
  }

  /** The L1's property bag (typed L1s: camelCase; `new CfnResource` and includes: as given). */
  private properties(): JsonObject {
    if (this._properties === undefined) {
      const props = (this.resource as unknown as { cfnProperties?: JsonObject }).cfnProperties;
      this._properties = props ?? {};
    }
    return this._properties;
  }

  private resolve(value: unknown): unknown {
    // Most values hold no token at all: skip CDK's resolver for them.
    return hasToken(value) ? resolveKeepingReferences(this.stack, value) : value;
  }
}

/** Whether a value holds a CDK token anywhere (string, number, list or IResolvable). */
function hasToken(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
      return Token.isUnresolved(value);
    case 'object':
      if (value === null) {
        return false;
      }
      if (Array.isArray(value)) {
        return value.some(hasToken);
      }
      if (Tokenization.isResolvable(value)) {
        return true;
      }
      for (const key in value) {
        if (hasToken((value as JsonObject)[key])) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}


const NO_OVERRIDE = Symbol('no override');

function isPlainObject(value: unknown): value is JsonObject {
  return isObject(value);
}

function overridesOf(resource: CfnResource): unknown {
  // `rawOverrides` is where `addOverride` and friends record escape hatches.
  return (resource as unknown as { rawOverrides?: JsonObject }).rawOverrides;
}

function stepOverride(override: JsonObject, name: string): unknown {
  // Overrides are written with CloudFormation names and are case-sensitive, like the template.
  if (Object.prototype.hasOwnProperty.call(override, name)) {
    return override[name];
  }
  return NO_OVERRIDE;
}

/** Merges a resolved override into a resolved value as `CfnResource` does (deep, objects only). */
function mergeOverride(base: unknown, override: JsonObject): unknown {
  if (intrinsicName(base) !== undefined || !(isObject(base) || Array.isArray(base))) {
    base = {};
  }
  const target: JsonObject = Array.isArray(base) ? ([...base] as unknown as JsonObject) : { ...(base as JsonObject) };
  for (const key of Object.keys(override)) {
    const value = override[key];
    const existing = findKey(target, key) ?? key;
    if (value === undefined) {
      delete target[existing];
    } else if (isObject(value) && intrinsicName(value) === undefined) {
      const merged = mergeOverride(target[existing], value);
      if (existing !== key) {
        delete target[existing];
      }
      target[key] = merged;
    } else {
      if (existing !== key) {
        delete target[existing];
      }
      target[key] = value;
    }
  }
  return target;
}
