import { CfnResource, DefaultTokenResolver, Stack, StringConcat, Tokenization } from 'aws-cdk-lib';
import { mergeLikeCloudFormation } from './rendering';
import { isResourceReference } from './resource-reference';
import { ResourceRecord, ResourceView } from './resource-view';
import { rawOverridesOf } from '../private/cdk-internals';

/** What creation order asks of the index. */
export interface ResourceLookup {
  recordOf(resource: CfnResource): ResourceRecord;
  /** The resource of `stack` (any type) with this logical ID, if any. */
  byLogicalId(stack: Stack, logicalId: string): CfnResource | undefined;
}

/**
 * Whether CloudFormation creates `later`'s resource only once `earlier`'s exists: a chain of
 * `DependsOn` (CDK's resource and construct dependencies) or references (`Ref`, `Fn::GetAtt`, on
 * the `Fn::If` branches of `later`'s world) leads from one to the other, or `later` waits for a
 * stack that holds `earlier` (a stack dependency; a nested stack's resource, which completes
 * with every resource of the nested stack). Resources without such a chain may be created in
 * either order, or at the same time.
 *
 * An escape hatch on `DependsOn` replaces what CDK knows: such a resource waits for the resources
 * of its stack that the logical IDs it names are (followed like CDK's), and for its references.
 */
export function createdAfter(later: ResourceView, earlier: ResourceView, lookup: ResourceLookup): boolean {
  const target = earlier.resource;
  // Resources complete before `later` starts, and resources whose predecessors are (expanded).
  const complete = new Set<CfnResource>();
  const expanded = new Set<CfnResource>([later.resource]);
  const stacks = new Set<Stack>();
  const queue: CfnResource[] = [later.resource];
  const expand = (resource: CfnResource) => {
    if (!expanded.has(resource)) {
      expanded.add(resource);
      queue.push(resource);
    }
  };
  while (queue.length > 0) {
    const resource = queue.pop()!;
    const waitsFor: Array<CfnResource | Stack> = referencesIn(lookup.recordOf(resource).in(later.world).read());
    const overrides = rawOverridesOf(resource);
    if (Object.prototype.hasOwnProperty.call(overrides, 'DependsOn')) {
      // The escape hatch merged into CDK's own list, as CDK renders it (`DependsOn.1` sets one entry).
      const override = { DependsOn: resolveKeepingDeletions(resource.stack, overrides.DependsOn) };
      const rendered = mergeLikeCloudFormation({ DependsOn: renderedDependsOn(resource) }, override);
      for (const logicalId of logicalIdsIn(rendered.DependsOn)) {
        const named = lookup.byLogicalId(resource.stack, logicalId);
        if (named !== undefined) {
          waitsFor.push(named);
        }
      }
    } else {
      waitsFor.push(...resource.obtainDependencies());
    }
    waitsFor.push(...resource.stack.dependencies);
    for (const next of waitsFor) {
      if (next === target) {
        return true;
      }
      if (CfnResource.isCfnResource(next)) {
        complete.add(next);
        expand(next);
      } else {
        addWithDependencies(next, stacks);
      }
    }
    // A nested stack's resources are created after its stack resource in the parent starts, hence
    // after what that resource waits for; the stack resource itself is not complete before them.
    const nested = resource.stack.nestedStackResource;
    if (nested !== undefined && CfnResource.isCfnResource(nested)) {
      expand(nested);
    }
  }
  // A stack waited for is complete, its nested stacks included, before the waiting one starts; a
  // nested stack's resource waited for is complete once every resource of the nested stack is.
  for (let stack: Stack | undefined = earlier.stack; stack !== undefined; stack = stack.nestedStackParent) {
    const resource = stack.nestedStackResource;
    if (stacks.has(stack) || (resource !== undefined && CfnResource.isCfnResource(resource) && complete.has(resource))) {
      return true;
    }
  }
  return false;
}

/** The app resources an evaluated value refers to. */
function referencesIn(value: unknown, found: CfnResource[] = []): CfnResource[] {
  if (isResourceReference(value)) {
    found.push(value.target);
  } else if (Array.isArray(value)) {
    value.forEach(v => referencesIn(v, found));
  } else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(v => referencesIn(v, found));
  }
  return found;
}

/** The logical IDs a `DependsOn` names (one string or a list of them; anything else names none). */
function logicalIdsIn(dependsOn: unknown): string[] {
  const names = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  return names.filter((name): name is string => typeof name === 'string');
}

/**
 * An escape hatch's value resolved as CDK resolves it for the merge (`removeEmpty: false`): a
 * deletion (`undefined`, from `addDeletionOverride('DependsOn.0')`, also produced by a token) stays.
 */
function resolveKeepingDeletions(stack: Stack, value: unknown): unknown {
  return value === undefined ? undefined
    : Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false, removeEmpty: false });
}

/** `DependsOn` as CDK renders it before escape hatches: its resource dependencies' logical IDs, by construct path. */
function renderedDependsOn(resource: CfnResource): string[] | undefined {
  const dependencies = resource.obtainDependencies().filter(d => CfnResource.isCfnResource(d) && d.stack === resource.stack) as CfnResource[];
  return dependencies.length === 0 ? undefined
    : dependencies.sort((a, b) => a.node.path.localeCompare(b.node.path)).map(d => resource.stack.resolve(d.logicalId) as string);
}

function addWithDependencies(stack: Stack, into: Set<Stack>): void {
  if (into.has(stack)) {
    return;
  }
  into.add(stack);
  for (const dependency of stack.dependencies) {
    addWithDependencies(dependency, into);
  }
}
