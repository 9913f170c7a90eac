import { CfnCondition, CfnElement, CfnMapping, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { templateTypeOf } from '../private/cdk-internals';

/**
 * A stack's own part of the tree: its L1s, parameters and conditions, in construct order, with the
 * type each L1's template shows (worked out once, by the walk that meets it).
 */
export interface Part {
  readonly members: IConstruct[];
  /** `types[i]`: the template type of `members[i]`, or `undefined` for a parameter, condition or mapping. */
  readonly types: Array<string | undefined>;
}

export function addToPart(part: Part, member: IConstruct, type: string | undefined): void {
  part.members.push(member);
  part.types.push(type);
}

/**
 * A stack's own part of the tree, in construct order: the L1s, parameters and conditions below it
 * but not below another stack (a nested stack has its own part).
 */
export function partOf(stack: Stack): Part {
  const part: Part = { members: [], types: [] };
  const walk = (construct: IConstruct) => {
    for (const child of construct.node.children) {
      if (Stack.isStack(child)) {
        continue;
      }
      if (CfnResource.isCfnResource(child)) {
        addToPart(part, child, templateTypeOf(child));
      } else if (isPartOfStack(child)) {
        addToPart(part, child, undefined);
      }
      // Constructs may sit below an L1 too: walk every child.
      walk(child);
    }
  };
  walk(stack);
  return part;
}

/** Parameters, conditions and mappings (template elements, which most constructs are not) belong to a stack's part. */
export function isPartOfStack(construct: IConstruct): boolean {
  return CfnElement.isCfnElement(construct)
    && (construct instanceof CfnParameter || construct instanceof CfnCondition || construct instanceof CfnMapping);
}
