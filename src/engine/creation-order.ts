import { CfnResource, Stack } from 'aws-cdk-lib';
import { ReferenceTable } from './resource-reference';
import { ResourceRecord } from './resource-view';
import { rawOverridesOf } from '../private/cdk-internals';

/**
 * Whether CloudFormation creates `later`'s resource only once `earlier`'s exists: a chain of
 * `DependsOn` (CDK's resource and construct dependencies) or references (`Ref`, `Fn::GetAtt`) leads
 * from one to the other, or a stack `later` waits for (a stack dependency, the parent's resources
 * a nested stack waits for) holds `earlier`. Resources without such a chain may be created in
 * either order, or at the same time.
 *
 * An escape hatch on `DependsOn` replaces what CDK knows: such a resource counts only its references.
 */
export function createdAfter(
  later: ResourceRecord, earlier: ResourceRecord, table: ReferenceTable, recordOf: (r: CfnResource) => ResourceRecord,
): boolean {
  const target = earlier.resource;
  const seen = new Set<CfnResource>([later.resource]);
  const stacks = new Set<Stack>();
  const queue: CfnResource[] = [later.resource];
  while (queue.length > 0) {
    const resource = queue.pop()!;
    const waitsFor: Array<CfnResource | Stack> = [...table.referencesIn(recordOf(resource).template.properties)];
    if (!Object.prototype.hasOwnProperty.call(rawOverridesOf(resource), 'DependsOn')) {
      waitsFor.push(...resource.obtainDependencies());
    }
    // A nested stack's resources are created after its stack resource in the parent starts,
    // which waits for what that resource depends on.
    const nested = resource.stack.nestedStackResource;
    if (nested !== undefined && CfnResource.isCfnResource(nested)) {
      waitsFor.push(nested);
    }
    waitsFor.push(...resource.stack.dependencies);
    for (const next of waitsFor) {
      if (next === target) {
        return true;
      }
      if (CfnResource.isCfnResource(next)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      } else {
        addWithDependencies(next, stacks);
      }
    }
  }
  // A stack waited for is complete, its nested stacks included, before the waiting one starts.
  for (let stack: Stack | undefined = earlier.stack; stack !== undefined; stack = stack.nestedStackParent) {
    if (stacks.has(stack)) {
      return true;
    }
  }
  return false;
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
