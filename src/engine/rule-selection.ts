import type { Rule } from './rule';
import type { RuleSettings } from './rule-context';
import { FindingLevel, RuleService } from '../gate/levels';
import { EncryptionGateOptions } from '../gate/options';
import { unscopedValidationError } from '../private/errors';

/**
 * Gate options checked once, when a front end is created: a typo must never silently turn a rule
 * off, so unknown rule IDs and services, empty selections, unknown levels and non-boolean flags
 * are refused there. The selected rules are grouped by resource type.
 */
export class RuleSelection implements RuleSettings {
  public readonly requireKmsForS3: boolean;
  public readonly requireCustomerManagedKeys: boolean;
  public readonly rules: readonly Rule[];
  private readonly byType = new Map<string, Rule[]>();
  private readonly levels: { [ruleId: string]: FindingLevel };
  private readonly unresolvableLevel: FindingLevel;

  constructor(catalogue: readonly Rule[], options: EncryptionGateOptions = {}) {
    const ids = new Set(catalogue.map(r => r.id));
    checkIds(options.ruleIds, 'ruleIds', ids);
    checkIds(options.excludeRuleIds, 'excludeRuleIds', ids);
    checkIds(Object.keys(options.levels ?? {}), 'levels', ids);
    const services = Object.values(RuleService) as string[];
    for (const service of options.services ?? []) {
      if (!services.includes(service)) {
        throw unscopedValidationError('UnknownEncryptionService',
          `services names an unknown service "${String(service)}". Use RuleService values: ${services.join(', ')} (case matters).`);
      }
    }
    if (options.ruleIds !== undefined && options.ruleIds.length === 0 && (options.services ?? []).length === 0) {
      throw unscopedValidationError('EmptyRuleSelection', 'ruleIds is an empty list, which would run no rule. Omit ruleIds to run every rule, or name the rules to run.');
    }
    if (options.services !== undefined && options.services.length === 0 && (options.ruleIds ?? []).length === 0) {
      throw unscopedValidationError('EmptyRuleSelection', 'services is an empty list, which would run no rule. Omit services to run every service, or name the services to run.');
    }
    for (const [id, level] of Object.entries(options.levels ?? {})) {
      assertLevel(level, `levels["${id}"]`);
    }
    if (options.unresolvableLevel !== undefined) {
      assertLevel(options.unresolvableLevel, 'unresolvableLevel');
    }
    for (const flag of ['requireKmsForS3', 'requireCustomerManagedKeys'] as const) {
      if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
        throw unscopedValidationError('InvalidGateOption', `${flag} is ${JSON.stringify(options[flag])}; it takes true or false.`);
      }
    }

    const everything = options.ruleIds === undefined && options.services === undefined;
    const wanted = new Set(options.ruleIds ?? []);
    const wantedServices = new Set<string>(options.services ?? []);
    const excluded = new Set(options.excludeRuleIds ?? []);
    this.rules = catalogue.filter(r => !excluded.has(r.id) && (everything || wanted.has(r.id) || wantedServices.has(r.service)));
    if (this.rules.length === 0) {
      throw unscopedValidationError('EmptyRuleSelection', 'The options select no rule (excludeRuleIds removes every selected rule).');
    }
    for (const rule of this.rules) {
      for (const type of rule.resourceTypes) {
        const list = this.byType.get(type) ?? [];
        list.push(rule);
        this.byType.set(type, list);
      }
    }
    this.levels = { ...options.levels };
    this.unresolvableLevel = options.unresolvableLevel ?? FindingLevel.ERROR;
    this.requireCustomerManagedKeys = options.requireCustomerManagedKeys ?? false;
    // A customer managed key for S3 is a KMS key: the stricter option implies the S3 one.
    this.requireKmsForS3 = (options.requireKmsForS3 ?? false) || this.requireCustomerManagedKeys;
  }

  /** The selected rules that judge this resource type. */
  public rulesFor(type: string): readonly Rule[] {
    return this.byType.get(type) ?? NONE;
  }

  /** Whether the rule is selected. */
  public selects(rule: Rule): boolean {
    return this.rules.includes(rule);
  }

  /**
   * A rule's level, or for an unresolvable finding `unresolvableLevel` but never stricter than the
   * rule's own: not knowing cannot fail a synthesis that knowing the value would only warn about.
   */
  public levelOf(rule: Rule, unresolvable: boolean): FindingLevel {
    const level = this.levels[rule.id] ?? rule.defaultLevel;
    return unresolvable ? MILDEST_FIRST.find(l => l === level || l === this.unresolvableLevel)! : level;
  }
}

const MILDEST_FIRST = [FindingLevel.INFO, FindingLevel.WARNING, FindingLevel.ERROR];

const NONE: readonly Rule[] = [];

function checkIds(ids: readonly string[] | undefined, option: string, known: Set<string>): void {
  for (const id of ids ?? []) {
    if (!known.has(id)) {
      throw unscopedValidationError('UnknownEncryptionRule', `${option} names an unknown rule "${id}". Known rules: ${[...known].join(', ')}.`);
    }
  }
}

function assertLevel(level: unknown, option: string): void {
  if (!Object.values(FindingLevel).includes(level as FindingLevel)) {
    throw unscopedValidationError('InvalidFindingLevel',
      `${option} is "${String(level)}"; use FindingLevel.ERROR, FindingLevel.WARNING or FindingLevel.INFO.`);
  }
}
