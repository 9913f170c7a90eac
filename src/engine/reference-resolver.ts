import {
  CfnResource, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, Tokenization,
} from 'aws-cdk-lib';

/**
 * A reference to another resource of the app, in place of the `{ Ref }` or `{ Fn::GetAtt }` that
 * CloudFormation will see. Resolving a reference the CloudFormation way computes the target's
 * logical ID (an MD5 hash, not cached by CDK) — the bulk of what reading a policy document costs.
 * The gate only needs to know *which* resource is meant, so it keeps the resource itself.
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

/** Joins string fragments the way CloudFormation's `Fn::Join` would, keeping references as they are. */
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
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && 'Fn::Join' in value) {
    const [delimiter, parts] = (value as { 'Fn::Join': [unknown, unknown] })['Fn::Join'];
    if (delimiter === '' && Array.isArray(parts)) {
      return parts;
    }
  }
  return [value];
}

class ReferenceKeepingResolver extends DefaultTokenResolver {
  constructor() {
    super(new JoinConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (Reference.isReference(t) && CfnResource.isCfnResource(t.target)) {
      return new ResourceReference(t.target, t.displayName);
    }
    return super.resolveToken(t, context, postProcessor);
  }
}

const RESOLVER = new ReferenceKeepingResolver();
const JOIN = new JoinConcat();

/**
 * The structure of a string that embeds references (`${bucket.bucketArn}/*`) as `Fn::Join` parts
 * with `ResourceReference`s, without running CDK's resolver: a cheap look at what it points to.
 * Tokens that are not references stay as they are.
 */
export function splitReferences(value: string): unknown {
  const fragments = Tokenization.reverseString(value);
  return fragments.mapTokens({
    mapToken: t => Reference.isReference(t) && CfnResource.isCfnResource(t.target) ? new ResourceReference(t.target, t.displayName) : t,
  }).join(JOIN);
}

/**
 * Resolves a value as CloudFormation would see it, except that references to resources of the app
 * stay `ResourceReference`s. Pseudo parameters and parameters resolve to `{ Ref }` as usual.
 */
export function resolveKeepingReferences(stack: Stack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: RESOLVER, preparing: false });
}
