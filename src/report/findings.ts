import { acknowledgementOf, annotationsAcknowledgementOf } from './acknowledgements';
import type { Judgement } from '../engine/evaluation';
import type { Rule } from '../engine/rule';
import { Finding, FindingKind } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { templateTypeOf } from '../private/cdk-internals';

/** The level each rule's findings get under the options in force. */
export interface LevelPolicy {
  levelOf(rule: Rule, unresolvable: boolean): FindingLevel;
}

/**
 * A judgement in the words of a finding: what is wrong, the rule's fix, or how to make an
 * unknown value known, and whether (and why) the user acknowledged it.
 */
export function toFinding(judgement: Judgement, levels: LevelPolicy): Finding {
  const { rule, record, verdict } = judgement;
  const unresolvable = verdict.kind === 'unresolvable';
  const level = levels.levelOf(rule, unresolvable);
  // CDK's own acknowledgement of a warning or an info (`Annotations.acknowledgeWarning`) removes the
  // Aspect's annotation: every front end takes it as acknowledged, so that they agree.
  const acknowledgement = acknowledgementOf(record.resource, rule.id)
    ?? (level === FindingLevel.ERROR ? undefined : annotationsAcknowledgementOf(record.resource, rule.id));
  // Every message ends with how to acknowledge the finding where it is reported, if that is the choice.
  const acknowledge = `To accept it: Validations.of(<${record.resource.node.path} or an ancestor>).acknowledge({ id: '${rule.id}', reason: '...' }).`;
  const message = unresolvable
    ? `${rule.id}: ${verdict.message}. An unresolvable value is not a pass: make it known at synth time. ${acknowledge}`
    : `${rule.id}: ${verdict.message}. Fix: ${rule.fix} ${acknowledge}`;
  const stackPath = record.stack.node.path;
  return {
    ruleId: rule.id,
    kind: unresolvable ? FindingKind.UNRESOLVABLE : FindingKind.NON_COMPLIANT,
    level,
    message,
    detail: verdict.message,
    constructPath: record.resource.node.path,
    stackPath,
    logicalId: record.logicalId,
    resourceType: templateTypeOf(record.resource),
    location: verdict.location,
    acknowledged: acknowledgement !== undefined,
    acknowledgementReason: acknowledgement?.reason,
    acknowledgementId: acknowledgement?.id,
  };
}
