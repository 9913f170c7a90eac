import { basename } from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack } from 'aws-cdk-lib';
import { GateSession, stacksUnder } from '../engine/session';
import { Finding } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { EncryptionGateOptions } from '../gate/options';
import { ResolvedOptions } from '../gate/resolved-options';
import { RULES } from '../rules/catalogue';
import { VERSION } from '../private/version';

/**
 * The encryption gate as a CDK validation plugin:
 * `Validations.of(app).addPlugins(new EncryptionChecks())`.
 *
 * Findings land in CDK's validation report (`cdk.out/validation-report.json`); an unacknowledged
 * error-level finding fails synthesis. Acknowledged findings stay in the report at `info` severity
 * with their reason. It judges the same construct tree, with the same rules, as `EnforceEncryption`,
 * and needs nothing but aws-cdk-lib.
 */
export class EncryptionChecks implements IPolicyValidationPlugin {
  public readonly name = 'EncryptionChecks';
  public readonly version = VERSION;
  public readonly ruleIds: string[];
  private readonly options: ResolvedOptions;

  constructor(options: EncryptionGateOptions = {}) {
    this.options = new ResolvedOptions(RULES, options);
    this.ruleIds = this.options.rules.map(r => r.id);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    const session = new GateSession(root, this.options);
    const stacks = stacksUnder(root);
    const byPath = new Map(stacks.map(s => [s.node.path, s]));
    const violations: PolicyViolation[] = [];
    let failed = false;

    for (const entry of context.stackTemplates) {
      const stack = byPath.get(entry.stackConstructPath)
        ?? stacks.find(s => !s.nested && s.templateFile === basename(entry.templatePath));
      if (stack === undefined) {
        failed = true;
        violations.push({
          ruleName: 'CEG-GATE',
          description: `No stack in the construct tree matches the template ${entry.templatePath}, so it was not checked.`,
          severity: 'error',
          violatingResources: [{ templatePath: entry.templatePath, locations: [] }],
        });
        continue;
      }
      // A template holds its stack's resources; its nested stacks are judged with it.
      for (const judged of stacksUnder(stack).filter(s => s === stack || (s.nested && topLevelStackOf(s) === stack))) {
        for (const finding of session.evaluateStack(judged)) {
          failed = failed || (!finding.acknowledged && finding.level === FindingLevel.ERROR);
          violations.push(toViolation(finding, judged === stack ? entry.templatePath : undefined));
        }
      }
    }
    return { success: !failed, violations, pluginVersion: VERSION };
  }
}

function topLevelStackOf(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent !== undefined) {
    current = current.nestedStackParent;
  }
  return current;
}

function toViolation(finding: Finding, templatePath: string | undefined): PolicyViolation {
  const rule = RULES.find(r => r.id === finding.ruleId)!;
  const resource = templatePath !== undefined
    ? { resourceLogicalId: finding.logicalId, templatePath, locations: [finding.location] }
    // Nested stack templates are not in the report's template list: point at the construct.
    : { constructPath: finding.constructPath, locations: [finding.location] };
  return {
    ruleName: finding.ruleId,
    description: `${finding.acknowledged ? `Acknowledged (${finding.acknowledgementReason}): ` : ''}${finding.ruleId}: ${finding.detail}.`,
    fix: rule.fix,
    severity: finding.acknowledged ? 'info' : finding.level,
    ruleMetadata: {
      title: rule.title,
      kind: finding.kind,
      ...(finding.acknowledged ? { acknowledgementReason: finding.acknowledgementReason! } : {}),
    },
    violatingResources: [resource],
  };
}
