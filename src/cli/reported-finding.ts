// What the report command reads from a cloud assembly, and the error it reports bad input with.

/** A finding of the gate as recorded in a cloud assembly. */
export interface ReportedFinding {
  readonly ruleId: string;
  /** The level it was reported at (an acknowledged finding is reported at `info`). */
  readonly level: 'error' | 'warning' | 'info';
  /** What is wrong, without the rule ID prefix. */
  readonly message: string;
  /** Construct path of the resource (the L1), without a leading slash. */
  readonly constructPath: string;
  /** The template, relative to the root assembly directory, with `/` separators. */
  readonly templateFile?: string;
  readonly logicalId?: string;
  /** 1-based line of the logical ID in the template; 1 when unknown. */
  readonly line: number;
  readonly propertyPaths: string[];
  readonly acknowledged: boolean;
  readonly acknowledgementReason?: string;
  /** The level an acknowledged finding would have without the acknowledgement, when recorded. */
  readonly acknowledgedLevel?: 'error' | 'warning' | 'info';
  /** Where it was read: the validation report, or an annotation in a stack's metadata. */
  readonly source: 'validation-report' | 'annotation';
}

/** What a cloud assembly holds for the report. */
export interface AssemblyFindings {
  /** The root assembly directory, as given. */
  readonly directory: string;
  readonly findings: ReportedFinding[];
  /** Whether `validation-report.json` was there. */
  readonly hasValidationReport: boolean;
  /** Stacks read, nested assemblies (Stages) included. */
  readonly stackCount: number;
  /** Why the findings may be an earlier synthesis's, when something says so (see `staleWarning`). */
  readonly warning?: string;
}

/** An error about the input of the command, worded for the user. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** A rule ID of the gate at the start of an annotation: `CEG-S3-1: ...`. */
export const RULE_PREFIX = /^(CEG-[A-Z0-9]+(?:-[A-Z0-9]+)*):\s*/;

/**
 * The level of a recorded severity. `fatal` is an error: the plugin reports an error that way when
 * an acknowledgement narrowed with `where` names it, so that CDK does not suppress it; anything else
 * but `error` or `warning` is `info`.
 */
export function severity(value: unknown): ReportedFinding['level'] {
  return value === 'error' || value === 'fatal' ? 'error' : value === 'warning' ? value : 'info';
}

/** How strict a level is: an error before a warning before an info. */
export function strictness(level: ReportedFinding['level']): number {
  return level === 'error' ? 2 : level === 'warning' ? 1 : 0;
}

/** The message without its leading `CEG-…: `. */
export function stripRuleId(text: string): string {
  return text.replace(RULE_PREFIX, '').trim();
}
