import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GateSession } from '../engine/session';
import { Finding } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { EncryptionGateOptions } from '../gate/options';
import { ResolvedOptions } from '../gate/resolved-options';
import { assertCdkVersion } from '../private/cdk-version';
import { VERSION } from '../private/version';
import { RULES } from '../rules/catalogue';

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
  public readonly version?: string = VERSION;
  public readonly ruleIds?: string[];
  private readonly options: ResolvedOptions;

  constructor(options: EncryptionGateOptions = {}) {
    assertCdkVersion('EncryptionChecks');
    this.options = new ResolvedOptions(RULES, options);
    this.ruleIds = this.options.rules.map(r => r.id);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    const session = new GateSession(root, this.options);
    const violations: PolicyViolation[] = [];
    let failed = false;

    for (const entry of context.stackTemplates) {
      const stack = findStack(root, entry.stackConstructPath);
      if (stack === undefined) {
        failed = true;
        violations.push({
          ruleName: 'CEG-GATE',
          description: `No stack in the construct tree has the path "${entry.stackConstructPath}" of template ${entry.templatePath}, so it was not checked.`,
          severity: 'error',
          violatingResources: [{ templatePath: entry.templatePath, locations: [] }],
        });
        continue;
      }
      // A template holds its stack's resources; its nested stacks are judged with it.
      for (const result of session.evaluateStackAndNested(stack)) {
        for (const finding of result.findings) {
          failed = failed || (!finding.acknowledged && finding.level === FindingLevel.ERROR);
          violations.push(toViolation(finding, result.stack === stack ? entry.templatePath : undefined));
        }
      }
    }
    return { success: !failed, violations, pluginVersion: VERSION };
  }
}

/** The stack at a construct path (`Stage/Stack`) below the root. */
function findStack(root: IConstruct, path: string): Stack | undefined {
  let node: IConstruct | undefined = root;
  for (const id of path.split('/').filter(part => part !== '')) {
    node = node?.node.tryFindChild(id);
  }
  return node !== undefined && Stack.isStack(node) ? node : undefined;
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
