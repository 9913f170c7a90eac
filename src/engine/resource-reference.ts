import {
  CfnResource, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, Token, Tokenization,
} from 'aws-cdk-lib';
import { intrinsicName, isJsonObject, JsonObject } from '../aws/json';

/**
 * A reference to a resource of the app (`Ref` or `Fn::GetAtt`), in place of the intrinsic that
 * CloudFormation will see. Resolving a reference the CloudFormation way computes the target's
 * logical ID (an MD5 hash, not cached by CDK); the gate only needs to know *which* resource is
 * meant, and across stacks too, where CloudFormation would see an `Fn::ImportValue`.
 */
export class ResourceReference {
  constructor(
    /** The resource referred to. */
    public readonly target: CfnResource,
    /** `Ref`, or the attribute name (`Arn`, `KeyId`, ...). */
    public readonly attribute: string,
  ) {}

  /** How it reads in messages. */
  public toJSON(): string {
    return this.attribute === 'Ref' ? `{ Ref: ${this.target.node.path} }` : `{ Fn::GetAtt: ${this.target.node.path}.${this.attribute} }`;
  }
}

export function isResourceReference(value: unknown): value is ResourceReference {
  return value instanceof ResourceReference;
}

/**
 * While resolving, a reference becomes an intrinsic naming a marker instead of a logical ID:
 * CDK's own override merging treats intrinsics as leaves, exactly as it does in the template.
 * Markers are turned into `ResourceReference`s when values are read.
 */
const MARKER = '\u2063ceg-ref#';

/** A value the light resolution leaves to CDK's resolver. */
const NOT_LIGHT = Symbol('not light');

/** One evaluation's table of referenced resources, and the resolver that fills it. */
export class ReferenceTable {
  private readonly targets: CfnResource[] = [];
  private readonly ids = new Map<CfnResource, number>();
  private readonly resolver = new MarkingResolver(this);
  private readonly singles = new Map<string, Reference | null>();

  /** The marker intrinsic for a reference to `target`. */
  public mark(target: CfnResource, attribute: string): JsonObject {
    let id = this.ids.get(target);
    if (id === undefined) {
      id = this.targets.length;
      this.targets.push(target);
      this.ids.set(target, id);
    }
    return attribute === 'Ref' ? { Ref: `${MARKER}${id}` } : { 'Fn::GetAtt': [`${MARKER}${id}`, attribute] };
  }

  /** The reference a marker intrinsic stands for, if `value` is one. */
  public unmark(value: JsonObject): ResourceReference | undefined {
    const fn = intrinsicName(value);
    if (fn === 'Ref' && typeof value.Ref === 'string' && value.Ref.startsWith(MARKER)) {
      return new ResourceReference(this.targets[Number(value.Ref.slice(MARKER.length))], 'Ref');
    }
    if (fn === 'Fn::GetAtt') {
      const args = value['Fn::GetAtt'];
      if (Array.isArray(args) && typeof args[0] === 'string' && args[0].startsWith(MARKER)) {
        return new ResourceReference(this.targets[Number(args[0].slice(MARKER.length))], String(args[1]));
      }
    }
    return undefined;
  }

  /** Every resource a raw (resolved, unevaluated) value refers to, on any branch. */
  public referencesIn(value: unknown, found: CfnResource[] = []): CfnResource[] {
    if (Array.isArray(value)) {
      value.forEach(v => this.referencesIn(v, found));
    } else if (isJsonObject(value)) {
      const ref = this.unmark(value);
      if (ref !== undefined) {
        found.push(ref.target);
      } else {
        Object.values(value).forEach(v => this.referencesIn(v, found));
      }
    }
    return found;
  }

  /**
   * Resolves a value as CloudFormation would see it, references to app resources marked.
   * `keepUndefined` keeps `undefined` values (deletion overrides), as CDK does for overrides.
   */
  public resolve(stack: Stack, value: unknown, keepUndefined = false): unknown {
    // Most values hold no token at all: CDK's resolver would only copy them.
    if (!mayHoldToken(value)) {
      return value;
    }
    // The commonest tokens (`bucket.ref`, `{ launchTemplateId: template.ref, version: ... }`) are
    // strings that are each one reference to an app resource, in plain objects and lists. CDK's
    // resolver would hand each to `MarkingResolver.resolveToken` alone, which marks it whatever the
    // context, and copy the rest, dropping `undefined`s: do the same without building a context
    // per token. Anything else (another token, a token key, an object that is not plain data) goes
    // to CDK's resolver, whole.
    const light = this.resolveReferences(value, keepUndefined, 0);
    if (light !== NOT_LIGHT) {
      return light;
    }
    return Tokenization.resolve(value, { scope: stack, resolver: this.resolver, preparing: false, removeEmpty: !keepUndefined });
  }

  /**
   * The reference to an app resource that a string encodes all alone (`bucket.ref`), or `null` for
   * every other string with a token in it. Remembered per string: one token string is read by every
   * rule and resource that reads the value holding it.
   */
  private singleReference(value: string): Reference | null {
    let reference = this.singles.get(value);
    if (reference === undefined) {
      const fragments = Tokenization.reverseString(value);
      const token = fragments.length === 1 ? fragments.firstToken : undefined;
      reference = token !== undefined && Reference.isReference(token) && CfnResource.isCfnResource(token.target) ? token : null;
      this.singles.set(value, reference);
    }
    return reference;
  }

  /**
   * `value` resolved when its only tokens are strings that are one reference each to an app
   * resource, inside plain objects and lists; else `NOT_LIGHT`. Same result as CDK's resolver
   * (with `MarkingResolver`): a copy, references marked, `undefined` values and elements dropped
   * unless `keepUndefined`.
   */
  private resolveReferences(value: unknown, keepUndefined: boolean, depth: number): unknown {
    switch (typeof value) {
      case 'string': {
        if (!value.includes('Token[')) {
          return isStringifiedNumberToken(value) ? NOT_LIGHT : value;
        }
        const reference = this.singleReference(value);
        return reference === null ? NOT_LIGHT : this.mark(reference.target as CfnResource, reference.displayName);
      }
      case 'boolean':
        return value;
      case 'number':
        // CDK's own test for a number that may be a token.
        return value > -1e287 && value < 1e287 ? value : NOT_LIGHT;
      case 'object': {
        if (value === null) {
          return null;
        }
        if (depth > 32) {
          return NOT_LIGHT;
        }
        if (Array.isArray(value)) {
          const out: unknown[] = [];
          for (const item of value) {
            // A list token (`Fn::GetAZs` and friends) or a string of several pieces is not one
            // reference: CDK's resolver takes the whole value.
            const resolved = item === undefined ? undefined : this.resolveReferences(item, keepUndefined, depth + 1);
            if (resolved === NOT_LIGHT) {
              return NOT_LIGHT;
            }
            if (resolved !== undefined || keepUndefined) {
              out.push(resolved);
            }
          }
          return out;
        }
        if (!isJsonObject(value)) {
          return NOT_LIGHT;
        }
        const out: JsonObject = {};
        for (const key of Object.keys(value)) {
          if (key.includes('Token[')) {
            return NOT_LIGHT;
          }
          const item = value[key];
          const resolved = item === undefined ? undefined : this.resolveReferences(item, keepUndefined, depth + 1);
          if (resolved === NOT_LIGHT) {
            return NOT_LIGHT;
          }
          if (resolved !== undefined || keepUndefined) {
            out[key] = resolved;
          }
        }
        return out;
      }
      default:
        return NOT_LIGHT;
    }
  }
}

/**
 * Whether a value may hold a CDK token (or `undefined`s to remove, which resolving also does):
 * only plain literals, lists and objects of them are certainly token-free.
 */
function mayHoldToken(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
      // String and list tokens read `Token[` (`${Token[...]}`, `#{Token[...]}`); a number token
      // turned into a string reads `-1.888...e+289`, which CDK's resolver resolves too.
      return value.includes('Token[') || isStringifiedNumberToken(value);
    case 'number':
      // Number tokens are encoded as huge negative doubles: CDK's own range test rules most
      // numbers out without decoding them.
      return !(value > -1e287 && value < 1e287) && Token.isUnresolved(value);
    case 'boolean':
      return false;
    case 'undefined':
      return depth > 0;
    case 'object':
      if (value === null) {
        return false;
      }
      if (depth > 32) {
        return true;
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          // Holes of a sparse list (escape hatches on `List.1.Key` make them) hold nothing.
          if (i in value && mayHoldToken(value[i], depth + 1)) {
            return true;
          }
        }
        return false;
      }
      if (!isJsonObject(value)) {
        return true;
      }
      for (const key in value) {
        if (mayHoldToken((value as JsonObject)[key], depth + 1)) {
          return true;
        }
      }
      return false;
    default:
      return true;
  }
}

/** CDK's own test for a string that may hold a number token (`resolve` in aws-cdk-lib). */
function isStringifiedNumberToken(value: string): boolean {
  return value.length >= 16 && value.includes('e+289');
}

/** Joins string fragments the way CloudFormation's `Fn::Join` would. */
class JoinConcat implements IFragmentConcatenator {
  public join(left: unknown, right: unknown): unknown {
    if (left === undefined) {
      return right;
    }
    if (right === undefined) {
      return left;
    }
    if (typeof left === 'string' && typeof right === 'string') {
      return left + right;
    }
    const parts: unknown[] = [];
    for (const part of [...joinParts(left), ...joinParts(right)]) {
      const last = parts.length - 1;
      if (typeof part === 'string' && typeof parts[last] === 'string') {
        parts[last] = (parts[last] as string) + part;
      } else {
        parts.push(part);
      }
    }
    return { 'Fn::Join': ['', parts] };
  }
}

function joinParts(value: unknown): unknown[] {
  if (intrinsicName(value) === 'Fn::Join') {
    const [delimiter, parts] = (value as { 'Fn::Join': [unknown, unknown] })['Fn::Join'];
    if (delimiter === '' && Array.isArray(parts)) {
      return parts;
    }
  }
  return [value];
}

class MarkingResolver extends DefaultTokenResolver {
  constructor(private readonly table: ReferenceTable) {
    super(new JoinConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (Reference.isReference(t) && CfnResource.isCfnResource(t.target)) {
      return this.table.mark(t.target, t.displayName);
    }
    return super.resolveToken(t, context, postProcessor);
  }
}
