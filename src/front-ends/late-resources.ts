import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Reach } from './reach';
import { sharedEvaluation } from './shared-evaluation';
import { RULES } from '../rules/catalogue';

/** Every resource type some rule judges. */
const JUDGED_TYPES: readonly string[] = [...new Set(RULES.flatMap(r => r.resourceTypes))];

/**
 * The resources of a stack's own part that rules of `reach` judge but that no `EnforceEncryption`
 * visited (`isReached` false): added after the Aspects walked their scope, which CDK does not go
 * back to when `@aws-cdk/core:aspectStabilization` is off (an Aspect, such as a mixin run with
 * `Shims.asAspect`, that adds an L1 to a stack already walked). Found through the evaluation's
 * index of the stack, per type, at validation time, when the tree is final.
 */
export function lateResourcesOf(stack: Stack, reach: Reach, isReached: (resource: CfnResource) => boolean): CfnResource[] {
  const evaluation = sharedEvaluation(Stage.of(stack) ?? stack.node.root, reach.settings);
  const late: CfnResource[] = [];
  for (const type of JUDGED_TYPES) {
    if (reach.rulesFor(type).length === 0) {
      continue;
    }
    for (const record of evaluation.index.ofType(stack, type)) {
      if (!isReached(record.resource)) {
        late.push(record.resource);
      }
    }
  }
  return late;
}
