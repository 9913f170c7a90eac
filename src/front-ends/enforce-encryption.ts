import { Aspects, CfnResource, IAspect, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { annotate } from './annotate';
import { JUDGED_TYPES, lateReach, lateResourcesOf, lateTightening } from './late-resources';
import { Reach, withFlagsOf } from './reach';
import { firstInSynthesis, prepareSharedEvaluation, sharedEvaluation } from './shared-evaluation';
import { warnOfUnknownAcknowledgements } from './unknown-acknowledgements';
import { stagesBelow, validationHolder } from './unreached-stages';
import { RuleSelection } from '../engine/rule-selection';
import { Finding } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { EncryptionGateOptions } from '../gate/options';
import { templateTypeOf } from '../private/cdk-internals';
import { assertCdkVersion } from '../private/cdk-version';
import { unknownAcknowledgedRules } from '../report/acknowledgements';
import { toFinding } from '../report/findings';
import { RULES } from '../rules/catalogue';

const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(RULES.map(r => r.id));

/** The Aspects that reached a resource, kept on the resource itself (never in module state). */
const REACHED_BY = Symbol.for('cdk-encryption-guard.enforce-encryption');
/** Marks a synthesis root whose resources added after the Aspects' visit are looked for. */
const LATE_BY = Symbol.for('cdk-encryption-guard.late-resources');
/** The Aspects with a flag that reached a resource they select no rule for (none has yet). */
const TIGHTENED_BY = Symbol.for('cdk-encryption-guard.tightened-by');
/** The Aspects that judge each unreached Stage, kept on the construct that reports its errors. */
const UNREACHED_BY = Symbol.for('cdk-encryption-guard.unreached-stages');

/**
 * The encryption gate as a CDK Aspect: `Aspects.of(app).add(new EnforceEncryption())`.
 *
 * Every finding becomes an annotation on the offending L1 resource, whose message begins with the
 * rule ID: errors fail synthesis (`cdk synth` exits non-zero, `app.synth()` throws listing every
 * finding), warnings do not. Resources are judged during CDK's validation phase, after all Aspects
 * and escape hatches, so the verdict is about what will be synthesized.
 *
 * Each instance applies its own options to the subtree it was added to. Where several reach one
 * resource (an App's and a Stack's), a rule runs if any of them selects it, at the strictest level
 * any of them gives it; an acknowledgement on the resource or an ancestor still applies.
 *
 * Stages: CDK does not apply an App's Aspects inside a `Stage`. Add the Aspect to each Stage to
 * get annotations there (`Aspects.of(stage).add(...)`); an Aspect on the App still judges the
 * Stages it cannot reach (at any depth) and fails synthesis on their errors, listing their warnings
 * with them; without an error, their warnings and informational findings are not shown (CDK has
 * written the Stage's assembly already): add the Aspect to the Stage, or use `EncryptionChecks`.
 */
export class EnforceEncryption implements IAspect {
  private readonly selection: RuleSelection;
  private _alone?: Reach;

  constructor(options: EncryptionGateOptions = {}) {
    assertCdkVersion('EnforceEncryption');
    this.selection = new RuleSelection(RULES, options);
  }

  public visit(node: IConstruct): void {
    // Every construct of the app comes here once, nearly all without an acknowledgement.
    const unknown = unknownAcknowledgedRules(node, KNOWN_RULE_IDS);
    if (unknown.length > 0) {
      warnOfUnknownAcknowledgements(node, unknown, KNOWN_RULE_IDS);
    }
    if (CfnResource.isCfnResource(node)) {
      const type = templateTypeOf(node);
      if (this.selection.rulesFor(type).length > 0) {
        this.reach(node, true);
      } else if (this.selection.requireKmsForS3 && JUDGED_TYPES.has(type)) {
        // Its flags still tighten the rules other Aspects run here.
        this.reach(node, false);
      }
    } else {
      // The scope this Aspect was added to comes first (CDK walks down from it): all it visits
      // from there is validated in the synthesis of one root.
      if (Aspects.of(node).all.includes(this)) {
        this.watchForLate(Stage.isStage(node) ? node : Stage.of(node) ?? node.node.root);
      }
      // A Stage is never entered by an Aspect from above: one right below a construct this Aspect
      // visits (the App, a Stage, or a plain construct it was added to) is judged from the Stage
      // whose synthesis validates that construct, with every Stage inside it.
      const children = node.node.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (!CfnResource.isCfnResource(child) && Stage.isStage(child)) {
          const synthesizing = Stage.isStage(node) ? node : Stage.of(node);
          if (synthesizing !== undefined) {
            this.judgeUnreached(validationHolder(synthesizing), [child, ...stagesBelow(child)]);
          }
        }
      }
    }
  }

  /**
   * Has the Stages this Aspect cannot reach judged by the holder's validation, once per Stage
   * whatever the number of Aspects on the same scope: they combine as on a resource they all reach.
   */
  private judgeUnreached(holder: IConstruct, stages: readonly Stage[]): void {
    const store = holder as unknown as { [UNREACHED_BY]?: Map<Stage, Reach> };
    let reaches = store[UNREACHED_BY];
    if (reaches === undefined) {
      reaches = new Map();
      Object.defineProperty(holder, UNREACHED_BY, { value: reaches, enumerable: false });
    }
    for (const stage of stages) {
      const reach = reaches.get(stage);
      if (reach === undefined) {
        reaches.set(stage, this.alone());
        const all = reaches;
        // The Aspects on this scope are read when the Stage is judged: all have visited by then.
        holder.node.addValidation({ validate: () => judgeUnreachedStage(stage, all.get(stage)!) });
      } else {
        reaches.set(stage, reach.with(this));
      }
    }
  }

  /** Adds this Aspect to those that reached the resource; one that `selects` no rule for it is kept aside until one does. */
  private reach(resource: CfnResource, selects: boolean): void {
    const holder = resource as unknown as { [REACHED_BY]?: Reach; [TIGHTENED_BY]?: Reach };
    const reach = holder[REACHED_BY];
    const tightened = holder[TIGHTENED_BY]?.with(this) ?? this.alone();
    if (reach !== undefined) {
      holder[REACHED_BY] = reach.with(this);
    } else if (selects) {
      watch(resource, tightened);
    } else {
      Object.defineProperty(resource, TIGHTENED_BY, { value: tightened, enumerable: false, writable: true });
    }
  }

  /**
   * Has the resources of a synthesis root that no Aspect visited (added to a scope already
   * walked, a whole stack even) judged like the others: found when the tree is final (the root's
   * validation runs before all others), each with the Aspects on its own ancestors, and each with
   * a validation of its own, so that every synthesis judges it again.
   */
  private watchForLate(root: IConstruct): void {
    const holder = root as unknown as { [LATE_BY]?: true };
    if (holder[LATE_BY] === undefined) {
      Object.defineProperty(root, LATE_BY, { value: true, enumerable: false });
      // The shared evaluation's own reset comes first, so that this look-up's index serves the resources.
      prepareSharedEvaluation(root);
      root.node.addValidation({
        validate: () => {
          for (const resource of lateResourcesOf(root, this.selection, r => (r as { [REACHED_BY]?: Reach })[REACHED_BY] !== undefined)) {
            const reach = lateReach(resource);
            if (reach !== undefined) {
              watch(resource, reach);
            } else {
              const tightened = lateTightening(resource);
              if (tightened !== undefined) {
                Object.defineProperty(resource, TIGHTENED_BY, { value: tightened, enumerable: false, writable: true });
              }
            }
          }
          return [];
        },
      });
    }
  }

  /** The reach of this Aspect alone (one object for every resource it reaches first). */
  private alone(): Reach {
    return this._alone ?? (this._alone = new Reach([this]));
  }

  /** This Aspect's options, for combining with others that reach the same resource. @internal */
  public _selection(): RuleSelection {
    return this.selection;
  }
}


/** Judges the resource, at validation time, with the Aspects that reached it (read then: all have visited by then). */
function watch(resource: CfnResource, reach: Reach): void {
  const holder = resource as unknown as { [REACHED_BY]?: Reach };
  Object.defineProperty(resource, REACHED_BY, { value: reach, enumerable: false, writable: true });
  resource.node.addValidation({ validate: () => judgeReached(resource, holder[REACHED_BY]!) });
}

/**
 * CDK synthesizes a Stage before the App's Aspects run and never applies them inside it, so its
 * resources are judged here with the options of the Aspects on the scope above it. Where an Aspect
 * inside the Stage reached a resource too, both apply: the stricter level wins, whichever gives it.
 */
function judgeUnreachedStage(stage: Stage, reach: Reach): string[] {
  const errors: string[] = [];
  const warnings: Finding[] = [];
  const visit = (construct: IConstruct) => {
    const rules = CfnResource.isCfnResource(construct) ? reach.rulesFor(templateTypeOf(construct)) : [];
    if (rules.length > 0) {
      const resource = construct as CfnResource & { [REACHED_BY]?: Reach; [TIGHTENED_BY]?: Reach };
      const reached = resource[REACHED_BY] !== undefined;
      // The flags of the Aspects inside the Stage above the resource hold too, as those above it do.
      const own = resource[REACHED_BY] ?? resource[TIGHTENED_BY] ?? reach;
      const evaluation = sharedEvaluation(stage.node.root, withFlagsOf(reach.settings, own.settingsOf(resource)));
      for (const rule of rules) {
        const verdict = evaluation.judge(rule, resource);
        if (verdict === undefined) {
          continue;
        }
        const finding = toFinding({ rule, record: evaluation.index.recordOf(resource), verdict }, reach.levels);
        if (isFailure(finding)) {
          errors.push(`${finding.constructPath}: ${finding.message} (in Stage "${stage.node.path}", ${reached
            ? 'judged with the options of the App\'s EnforceEncryption too'
            : 'which Aspects of the App do not reach: add the Aspect to the Stage'})`);
        } else if (!finding.acknowledged && finding.level === FindingLevel.WARNING) {
          warnings.push(finding);
        }
      }
    }
    for (const child of construct.node.children) {
      // A Stage below this one has a validation of its own (see `stagesBelow`): judged there,
      // with its own path, so that no finding is reported twice.
      if (CfnResource.isCfnResource(child) || !Stage.isStage(child)) {
        visit(child);
      }
    }
  };
  visit(stage);
  if (errors.length > 0 && warnings.length > 0) {
    // The Stage's assembly is written already: its warnings have no other place to show.
    errors.push(listWarnings(`Also in Stage "${stage.node.path}"`, warnings));
  }
  return errors;
}

/** Judges a resource with every Aspect that reached it, and annotates it. */
function judgeReached(resource: CfnResource, reach: Reach): string[] {
  const errors: string[] = [];
  const root = reach.synthesisRootOf(resource);
  for (const finding of findingsOfReached(resource, reach, root)) {
    if (annotate(resource, finding)) {
      errors.push(finding.message);
    }
  }
  if (errors.length > 0 && firstInSynthesis(root, 'warnings')) {
    // A failing synthesis writes no assembly, so the CLI would show no warning annotation: list
    // every warning of this synthesis with its first error, so that one run shows every level.
    const warnings = root.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && reach.synthesisRootOf(c) === root)
      .flatMap(c => {
        // A late resource of a stack validated after this one is not watched yet (see `watchForLate`).
        const reached = (c as { [REACHED_BY]?: Reach })[REACHED_BY] ?? lateReach(c);
        return reached === undefined ? [] : findingsOfReached(c, reached, root).filter(f => !f.acknowledged && f.level === FindingLevel.WARNING);
      });
    if (warnings.length > 0) {
      errors.push(listWarnings('Also in this synthesis', warnings));
    }
  }
  return errors;
}

/** Warnings listed with the errors of a synthesis that fails (it writes no assembly to show them in). */
function listWarnings(where: string, warnings: Finding[]): string {
  return `${where}, ${warnings.length} warning${warnings.length > 1 ? 's' : ''} (they do not fail it):\n`
    + warnings.map(w => `    warning on ${w.constructPath}: ${w.message}`).join('\n');
}

/** The findings on a resource under the combined options of every Aspect that reached it. */
function findingsOfReached(resource: CfnResource, reach: Reach, root: IConstruct): Finding[] {
  const rules = reach.rulesFor(templateTypeOf(resource));
  if (rules.length === 0) {
    return [];
  }
  const evaluation = sharedEvaluation(root, reach.settingsOf(resource));
  const findings: Finding[] = [];
  for (const rule of rules) {
    const verdict = evaluation.judge(rule, resource);
    if (verdict !== undefined) {
      findings.push(toFinding({ rule, record: evaluation.index.recordOf(resource), verdict }, reach.levels));
    }
  }
  return findings;
}


function isFailure(finding: Finding): boolean {
  return !finding.acknowledged && finding.level === FindingLevel.ERROR;
}
