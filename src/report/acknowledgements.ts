import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isNarrowedAcknowledgement, metadataOf, storedAcknowledgement } from '../private/cdk-internals';

/**
 * Namespaces under which an acknowledgement of our rule IDs is accepted. `Validations.acknowledge`
 * stores an unqualified ID as `Annotation::<id>` (older releases: `annotation::<id>`); CDK's own
 * plugin suppression uses `<plugin name>::<id>`.
 */
const ACCEPTED_NAMESPACES = ['annotation', 'encryptionchecks', 'enforceencryption'];

/** An acknowledgement that covers a rule on a construct. */
export interface Acknowledgement {
  /** The ID as `Validations.acknowledge` recorded it (for example `Annotation::CEG-S3-1`). */
  readonly id: string;
  readonly reason: string;
}

/**
 * The acknowledgement given with `Validations.of(scope).acknowledge({ id, reason })` on `construct`
 * or its closest ancestor that acknowledges `ruleId`, or `undefined` when none does.
 */
export function acknowledgementOf(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
  for (let node: IConstruct | undefined = construct; node !== undefined; node = node.node.scope) {
    for (const entry of metadataOf(node)) {
      if (entry.type !== acknowledgedRulesKey() || typeof entry.data !== 'object' || entry.data === null) {
        continue;
      }
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        // One narrowed to occurrences of some context (`where`) matches no finding of the gate.
        if (matches(id, ruleId) && !isNarrowedAcknowledgement(node, id)) {
          return { id, reason: String(reason) };
        }
      }
    }
  }
  return undefined;
}

/**
 * An acknowledgement of `ruleId` (`CEG-S3-3` or `Annotation::CEG-S3-3`) made with CDK's
 * `Annotations.of(scope).acknowledgeWarning(id)` or `acknowledgeInfo(id)` on `construct` or an
 * ancestor. CDK keeps no reason for these, and they cover warnings and infos, never errors: the
 * caller asks only for a finding at one of those levels.
 */
export function annotationsAcknowledgementOf(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
  const id = storedAcknowledgement(construct, [`Annotation::${ruleId}`, ruleId]);
  return id === undefined ? undefined : { id, reason: 'acknowledged with Annotations.acknowledgeWarning or acknowledgeInfo, which keep no reason' };
}

/**
 * Whether `Validations.acknowledge` names `ruleId` under `namespace` (any case, `where` filter or
 * not) on `construct` or an ancestor.
 */
export function hasAcknowledgementIn(construct: IConstruct, namespace: string, ruleId: string): boolean {
  const wanted = `${namespace}::${ruleId}`.toLowerCase();
  for (let node: IConstruct | undefined = construct; node !== undefined; node = node.node.scope) {
    for (const entry of metadataOf(node)) {
      if (entry.type === acknowledgedRulesKey() && typeof entry.data === 'object' && entry.data !== null
        && Object.keys(entry.data as Record<string, unknown>).some(id => id.toLowerCase() === wanted)) {
        return true;
      }
    }
  }
  return false;
}

let acknowledgedRules: string | undefined;

/**
 * The metadata type of acknowledgements, read once: each read of an aws-cdk-lib export goes through
 * its lazy index, and this is compared on every metadata entry of every construct visited.
 */
function acknowledgedRulesKey(): string {
  return acknowledgedRules ?? (acknowledgedRules = Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
}

function matches(acknowledgedId: string, ruleId: string): boolean {
  const separator = acknowledgedId.indexOf('::');
  if (separator < 0) {
    return acknowledgedId === ruleId;
  }
  const namespace = acknowledgedId.slice(0, separator).toLowerCase();
  return acknowledgedId.slice(separator + 2) === ruleId && ACCEPTED_NAMESPACES.includes(namespace);
}

/**
 * The gate's rule IDs (`CEG-...`) that `Validations.acknowledge` names on this construct but no
 * rule has: a typo there would otherwise hide nothing and say nothing.
 */
export function unknownAcknowledgedRules(construct: IConstruct, known: ReadonlySet<string>): readonly string[] {
  // Asked of every construct of the app, nearly all without an acknowledgement: an indexed loop
  // and no allocation until one is found keep it cheap before the code is optimized.
  const entries = metadataOf(construct);
  if (entries.length === 0) {
    return NONE;
  }
  const key = acknowledgedRulesKey();
  let unknown: string[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.type !== key || typeof entry.data !== 'object' || entry.data === null) {
      continue;
    }
    for (const id of Object.keys(entry.data as Record<string, unknown>)) {
      const separator = id.indexOf('::');
      const ruleId = separator < 0 ? id : id.slice(separator + 2);
      const namespace = separator < 0 ? 'annotation' : id.slice(0, separator).toLowerCase();
      if (/^CEG-/i.test(ruleId) && ACCEPTED_NAMESPACES.includes(namespace) && !known.has(ruleId)) {
        (unknown ??= []).push(ruleId);
      }
    }
  }
  return unknown ?? NONE;
}

const NONE: readonly string[] = [];
