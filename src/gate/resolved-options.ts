import { FindingLevel } from './levels';
import { EncryptionGateOptions } from './options';
import { RuleSettings } from '../engine/rule-context';
import { unscopedValidationError } from '../private/errors';
import type { Rule } from '../rules/rule';

/**
 * Gate options checked once, when a front end is created: unknown rule IDs are refused there (a
 * typo must not silently turn a rule off), and the selected rules are grouped by resource type.
 */
export class ResolvedOptions implements RuleSettings {
  public readonly requireKmsForS3: boolean;
  public readonly rules: readonly Rule[];
  private readonly byType = new Map<string, Rule[]>();
  private readonly levels: { [ruleId: string]: FindingLevel };
  private readonly unresolvableLevel: FindingLevel;

  constructor(catalogue: readonly Rule[], options: EncryptionGateOptions = {}) {
    const known = new Set(catalogue.map(r => r.id));
    const check = (ids: readonly string[] | undefined, option: string) => {
      for (const id of ids ?? []) {
        if (!known.has(id)) {
          throw unscopedValidationError('UnknownEncryptionRule',
            `${option} names an unknown rule "${id}". Known rules: ${[...known].join(', ')}.`);
        }
      }
    };
    check(options.ruleIds, 'ruleIds');
    check(options.excludeRuleIds, 'excludeRuleIds');
    check(Object.keys(options.levels ?? {}), 'levels');
    for (const [id, level] of Object.entries(options.levels ?? {})) {
      assertLevel(level, `levels["${id}"]`);
    }
    if (options.unresolvableLevel !== undefined) {
      assertLevel(options.unresolvableLevel, 'unresolvableLevel');
    }

    const everything = options.ruleIds === undefined && options.services === undefined;
    const ids = new Set(options.ruleIds ?? []);
    const services = new Set<string>(options.services ?? []);
    const excluded = new Set(options.excludeRuleIds ?? []);
    this.rules = catalogue.filter(r => !excluded.has(r.id) && (everything || ids.has(r.id) || services.has(r.service)));
    for (const rule of this.rules) {
      for (const type of rule.resourceTypes) {
        const list = this.byType.get(type) ?? [];
        list.push(rule);
        this.byType.set(type, list);
      }
    }
    this.levels = { ...options.levels };
    this.unresolvableLevel = options.unresolvableLevel ?? FindingLevel.ERROR;
    this.requireKmsForS3 = options.requireKmsForS3 ?? false;
  }

  /** The selected rules that judge this resource type. */
  public rulesFor(type: string): readonly Rule[] {
    return this.byType.get(type) ?? NONE;
  }

  public levelOf(rule: Rule, unresolvable: boolean): FindingLevel {
    return unresolvable ? this.unresolvableLevel : this.levels[rule.id] ?? rule.defaultLevel;
  }
}

const NONE: readonly Rule[] = [];

function assertLevel(level: unknown, option: string): void {
  if (!Object.values(FindingLevel).includes(level as FindingLevel)) {
    throw unscopedValidationError('InvalidFindingLevel',
      `${option} is "${String(level)}"; use FindingLevel.ERROR, FindingLevel.WARNING or FindingLevel.INFO.`);
  }
}
