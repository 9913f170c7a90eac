import { Aspects, CfnResource, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Reach, SelectingAspect } from './reach';
import { sharedEvaluation } from './shared-evaluation';
import { RuleSettings } from '../engine/rule-context';
import { templateTypeOf } from '../private/cdk-internals';
import { RULES } from '../rules/catalogue';

/** Every resource type some rule judges. */
export const JUDGED_TYPES: ReadonlySet<string> = new Set(RULES.flatMap(r => r.resourceTypes));

/**
 * The resources of a synthesis root (the App, or a Stage) that some rule judges but that no
 * `EnforceEncryption` visited (`isReached` false): added after the Aspects walked their scope,
 * which CDK does not go back to when `@aws-cdk/core:aspectStabilization` is off (an Aspect, such
 * as a mixin run with `Shims.asAspect`, that adds an L1 or a whole stack to a scope already
 * walked). Found in the evaluation's one walk of the tree (no record made), at validation time,
 * when the tree is final; a Stage's own synthesis looks for its own.
 */
export function lateResourcesOf(root: IConstruct, settings: RuleSettings, isReached: (resource: CfnResource) => boolean): CfnResource[] {
  const { resources, types } = sharedEvaluation(root, settings).index.resourcesOf(root);
  const late: CfnResource[] = [];
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[i];
    if (JUDGED_TYPES.has(types[i]) && !isReached(resource) && (Stage.of(resource) ?? resource.node.root) === root) {
      late.push(resource);
    }
  }
  return late;
}

/**
 * What judges a resource no Aspect visited: the Aspects on its ancestors, when one of them selects
 * a rule for its type (unreached is also what a visited resource of no selected type is).
 */
export function lateReach(resource: CfnResource): Reach | undefined {
  const aspects = selectingAspectsAbove(resource);
  const type = templateTypeOf(resource);
  return aspects.some(a => a._selection().rulesFor(type).length > 0) ? new Reach(aspects) : undefined;
}

/**
 * The Aspects with a flag on the ancestors of a late resource no Aspect above selects a rule for:
 * their flags still tighten the Aspects that judge its Stage from outside.
 */
export function lateTightening(resource: CfnResource): Reach | undefined {
  const flagged = selectingAspectsAbove(resource).filter(a => a._selection().requireKmsForS3);
  return flagged.length > 0 ? new Reach(flagged) : undefined;
}

/** The `EnforceEncryption` Aspects on a construct and its ancestors, up to its Stage (an App's do not apply inside one). */
export function selectingAspectsAbove(construct: IConstruct): SelectingAspect[] {
  const found: SelectingAspect[] = [];
  for (let scope: IConstruct | undefined = construct; scope !== undefined; scope = scope.node.scope) {
    for (const aspect of Aspects.of(scope).all) {
      if (typeof (aspect as Partial<SelectingAspect>)._selection === 'function' && !found.includes(aspect as unknown as SelectingAspect)) {
        found.push(aspect as unknown as SelectingAspect);
      }
    }
    if (Stage.isStage(scope)) {
      break;
    }
  }
  return found;
}
