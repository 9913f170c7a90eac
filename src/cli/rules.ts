import { RULES } from '../rules/catalogue';

/** What the report needs to know about a rule. */
export interface RuleMetadata {
  readonly id: string;
  /** The AWS service the rule belongs to (`S3`, `EBS`, …). */
  readonly service?: string;
  readonly title: string;
  readonly rationale: string;
  readonly fix: string;
  readonly defaultLevel: string;
  readonly resourceTypes: readonly string[];
}

/** The rule catalogue, as report metadata. */
export function catalogue(): RuleMetadata[] {
  return RULES.map(rule => ({
    id: rule.id,
    service: rule.service,
    title: rule.title,
    rationale: rule.rationale,
    fix: rule.fix,
    defaultLevel: rule.defaultLevel,
    resourceTypes: [...rule.resourceTypes],
  }));
}
