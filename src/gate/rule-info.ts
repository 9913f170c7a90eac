import { FindingLevel, RuleService } from '../gate/levels';

/**
 * What a rule checks, why, and how to fix what it finds. The rule table in README.md is generated
 * from these.
 */
export interface RuleInfo {
  /** Stable ID, for example `CEG-S3-1`. Acknowledge findings and select rules with it. */
  readonly id: string;
  /** The service the rule belongs to. */
  readonly service: RuleService;
  /** One line: what a compliant resource looks like. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** The CloudFormation resource types the rule judges. */
  readonly resourceTypes: string[];
  /** The level of its non-compliant findings unless options override it. */
  readonly defaultLevel: FindingLevel;
}
