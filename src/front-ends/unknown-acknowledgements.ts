import { Annotations, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Warns of acknowledgements that name no rule. CDK writes the metadata of no construct outside a
 * stack (an App, a Stage, a plain construct grouping stacks) to the assembly, so a warning there
 * would never be shown: it goes on the first stack below, naming where the acknowledgement is.
 */
export function warnOfUnknownAcknowledgements(node: IConstruct, ruleIds: readonly string[], knownRuleIds: ReadonlySet<string>): void {
  const inStack = isInStack(node);
  const holder = inStack ? node : firstStackOf(node);
  const where = inStack ? '' : node.node.path === '' ? ' on the App' : ` on ${Stage.isStage(node) ? 'Stage ' : ''}"${node.node.path}"`;
  for (const ruleId of ruleIds) {
    if (holder !== undefined) {
      Annotations.of(holder).addWarningV2(`cdk-encryption-guard:unknown-acknowledgement:${ruleId}`,
        `Validations.acknowledge names ${ruleId}${where}, which is no rule of cdk-encryption-guard, so it acknowledges nothing. `
        + `Known rules: ${[...knownRuleIds].join(', ')}.`);
    }
  }
}

/** Whether the construct is a stack or below one (asked without `Stack.of`, which throws a CDK error outside one). */
function isInStack(node: IConstruct): boolean {
  for (let scope: IConstruct | undefined = node; scope !== undefined && !Stage.isStage(scope); scope = scope.node.scope) {
    if (Stack.isStack(scope)) {
      return true;
    }
  }
  return false;
}

/** The first stack, in construct order, below a construct outside any stack (none of an inner Stage's). */
function firstStackOf(scope: IConstruct): Stack | undefined {
  for (const child of scope.node.children) {
    if (Stack.isStack(child)) {
      return child;
    }
    if (!Stage.isStage(child)) {
      const below = firstStackOf(child);
      if (below !== undefined) {
        return below;
      }
    }
  }
  return undefined;
}
