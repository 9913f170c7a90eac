import { Aspects, CfnResource, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Rule } from '../engine/rule';
import { RuleSettings } from '../engine/rule-context';
import { RuleSelection } from '../engine/rule-selection';
import { FindingLevel } from '../gate/levels';
import { LevelPolicy } from '../report/findings';

/** An `EnforceEncryption` as a `Reach` sees it: its options. */
export interface SelectingAspect {
  _selection(): RuleSelection;
}

/**
 * The Aspects that reached a resource, in the order they did, and what they decide together:
 * which rules run on a resource type and at which level (the strictest any of them gives), and
 * the settings of the evaluation. Shared by every resource the same Aspects reached, so that it
 * is worked out once, not per resource.
 */
export class Reach {
  private readonly next = new Map<SelectingAspect, Reach>();
  private readonly rules = new Map<string, readonly Rule[]>();
  private readonly roots = new WeakMap<IConstruct, IConstruct>();
  private readonly settingsByStack = new WeakMap<IConstruct, RuleSettings>();
  private readonly selections: readonly RuleSelection[];
  public readonly settings: RuleSettings;
  public readonly levels: LevelPolicy;

  constructor(public readonly aspects: readonly SelectingAspect[]) {
    const selections = aspects.map(a => a._selection());
    this.selections = selections;
    this.settings = {
      requireKmsForS3: selections.some(s => s.requireKmsForS3),
      requireCustomerManagedKeys: selections.some(s => s.requireCustomerManagedKeys),
    };
    this.levels = aspects.length === 1 ? selections[0] : {
      levelOf: (r: Rule, unresolvable: boolean) => strictestLevel(selections.filter(s => s.selects(r)).map(s => s.levelOf(r, unresolvable))),
    };
  }

  /**
   * The App, or the Stage whose own synthesis validates this resource: worked out once per stack
   * (a construct never moves in the tree), not once per resource.
   */
  public synthesisRootOf(resource: CfnResource): IConstruct {
    const stack = resource.stack;
    let root = this.roots.get(stack);
    if (root === undefined) {
      root = Stage.of(stack) ?? resource.node.root;
      this.roots.set(stack, root);
    }
    return root;
  }

  /**
   * The settings a resource is judged with: these Aspects' flags, and those of every Aspect above
   * its Stage (CDK applies none of them inside it, but each judges the Stage from outside, see
   * `EnforceEncryption`), worked out once per stack.
   */
  public settingsOf(resource: CfnResource): RuleSettings {
    const stack = resource.stack;
    let settings = this.settingsByStack.get(stack);
    if (settings === undefined) {
      settings = this.settings;
      for (let scope = Stage.of(stack)?.node.scope; scope !== undefined; scope = scope.node.scope) {
        for (const aspect of Aspects.of(scope).all) {
          if (typeof (aspect as Partial<SelectingAspect>)._selection === 'function') {
            settings = withFlagsOf(settings, (aspect as unknown as SelectingAspect)._selection());
          }
        }
      }
      this.settingsByStack.set(stack, settings);
    }
    return settings;
  }

  /** These Aspects and one more (the same object when it is one of them already). */
  public with(aspect: SelectingAspect): Reach {
    if (this.aspects.includes(aspect)) {
      return this;
    }
    let next = this.next.get(aspect);
    if (next === undefined) {
      next = new Reach([...this.aspects, aspect]);
      this.next.set(aspect, next);
    }
    return next;
  }

  /** The rules any of the Aspects selects for a resource type, each once, in the order they give them. */
  public rulesFor(type: string): readonly Rule[] {
    let rules = this.rules.get(type);
    if (rules === undefined) {
      rules = this.selections.length === 1 ? this.selections[0].rulesFor(type) : [...new Set(this.selections.flatMap(s => [...s.rulesFor(type)]))];
      this.rules.set(type, rules);
    }
    return rules;
  }
}

const ORDER = [FindingLevel.ERROR, FindingLevel.WARNING, FindingLevel.INFO];

function strictestLevel(levels: FindingLevel[]): FindingLevel {
  return ORDER.find(level => levels.includes(level)) ?? FindingLevel.INFO;
}

/** Settings with the flags of others too (the same object when they add none, so that evaluations are shared). */
export function withFlagsOf(settings: RuleSettings, others: RuleSettings): RuleSettings {
  const adds = (others.requireKmsForS3 && !settings.requireKmsForS3) || (others.requireCustomerManagedKeys && !settings.requireCustomerManagedKeys);
  return adds ? {
    requireKmsForS3: settings.requireKmsForS3 || others.requireKmsForS3,
    requireCustomerManagedKeys: settings.requireCustomerManagedKeys || others.requireCustomerManagedKeys,
  } : settings;
}
