import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Evaluation } from '../engine/evaluation';
import { RuleSelection } from '../engine/rule-selection';
import { Finding } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { EncryptionGateOptions } from '../gate/options';
import { assertCdkVersion } from '../private/cdk-version';
import { topLevelStackOf } from '../private/stack-references';
import { VERSION } from '../private/version';
import { hasAcknowledgementIn, unknownAcknowledgedRules } from '../report/acknowledgements';
import { toFinding } from '../report/findings';
import { RULES } from '../rules/catalogue';

/**
 * The encryption gate as a CDK validation plugin:
 * `Validations.of(app).addPlugins(new EncryptionChecks())`.
 *
 * Findings land in CDK's validation report (`cdk.out/validation-report.json`); an unacknowledged
 * error-level finding fails synthesis. Acknowledged findings are reported under the acknowledged ID,
 * so CDK moves them to the report's `suppressedViolations` with their reason (not printed). It judges the same construct tree, with the same rules, as `EnforceEncryption`,
 * and needs nothing but aws-cdk-lib.
 */
export class EncryptionChecks implements IPolicyValidationPlugin {
  public readonly name = 'EncryptionChecks';
  public readonly version?: string = VERSION;
  public readonly ruleIds?: string[];
  private readonly selection: RuleSelection;

  constructor(options: EncryptionGateOptions = {}) {
    assertCdkVersion('EncryptionChecks');
    this.selection = new RuleSelection(RULES, options);
    this.ruleIds = this.selection.rules.map(r => r.id);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    const evaluation = new Evaluation(root, this.selection);
    const violations: PolicyViolation[] = [];
    let failed = false;

    // Each template holds one stack's resources and, through nested stacks, those of its children.
    const byTemplate = new Map<Stack, Stack[]>();
    for (const stack of evaluation.index.stacks) {
      const owner = topLevelStackOf(stack);
      byTemplate.set(owner, [...byTemplate.get(owner) ?? [], stack]);
    }
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
      for (const member of byTemplate.get(stack) ?? [stack]) {
        for (const judgement of evaluation.judgeStack(member, this.selection.rules)) {
          const finding = toFinding(judgement, this.selection);
          failed = failed || (!finding.acknowledged && finding.level === FindingLevel.ERROR);
          violations.push(toViolation(finding, member === stack ? entry.templatePath : undefined, judgement.record.resource));
        }
      }
    }
    violations.push(...unknownAcknowledgements(evaluation.index.constructsOf(root)));
    return { success: !failed, violations, pluginVersion: VERSION };
  }
}

const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(RULES.map(r => r.id));

/** The namespace CDK gives this plugin's rule names (`EncryptionChecks::CEG-S3-1`). */
const PLUGIN_NAMESPACE = 'encryptionchecks';

/** Warnings for acknowledgements that name no rule of the gate (a typo hides nothing). */
function unknownAcknowledgements(constructs: readonly IConstruct[]): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const construct of constructs) {
    for (const ruleId of unknownAcknowledgedRules(construct, KNOWN_RULE_IDS)) {
      violations.push({
        ruleName: 'CEG-UNKNOWN-ACKNOWLEDGEMENT',
        description: `Validations.acknowledge names ${ruleId}, which is no rule of cdk-encryption-guard, so it acknowledges nothing.`,
        fix: `Use one of: ${[...KNOWN_RULE_IDS].join(', ')}.`,
        severity: 'warning',
        violatingResources: [{ constructPath: construct.node.path, locations: [] }],
      });
    }
  }
  return violations;
}

/** The stack at a construct path (`Stage/Stack`) below the root. */
function findStack(root: IConstruct, path: string): Stack | undefined {
  let node: IConstruct | undefined = root;
  for (const id of path.split('/').filter(part => part !== '')) {
    node = node?.node.tryFindChild(id);
  }
  return node !== undefined && Stack.isStack(node) ? node : undefined;
}

function toViolation(finding: Finding, templatePath: string | undefined, resource: IConstruct): PolicyViolation {
  const rule = RULES.find(r => r.id === finding.ruleId)!;
  const where = templatePath !== undefined
    ? { resourceLogicalId: finding.logicalId, templatePath, locations: [finding.location] }
    // Nested stack templates are not in the report's template list: point at the construct.
    : { constructPath: finding.constructPath, locations: [finding.location] };
  // CDK suppresses a violation that an acknowledgement in the plugin's namespace names, whatever
  // its `where` filter. One the gate found narrowed (hence not acknowledging it) must still fail
  // synthesis: CDK suppresses no fatal violation.
  const narrowed = !finding.acknowledged && finding.level === FindingLevel.ERROR && hasAcknowledgementIn(resource, PLUGIN_NAMESPACE, finding.ruleId);
  return {
    // An acknowledged finding carries the ID the user acknowledged, so that CDK moves it to the
    // report's suppressed violations with the reason (and prints nothing); its own level stays in
    // the metadata. Were CDK not to suppress it, it still reads as an acknowledged info.
    ruleName: finding.acknowledged ? finding.acknowledgementId! : finding.ruleId,
    description: `${finding.acknowledged ? `Acknowledged (${finding.acknowledgementReason}): ` : ''}${finding.ruleId}: ${finding.detail}.`,
    fix: rule.fix,
    severity: finding.acknowledged ? 'info' : narrowed ? 'fatal' : finding.level,
    ruleMetadata: {
      title: rule.title,
      kind: finding.kind,
      ...(finding.acknowledged ? { acknowledgementReason: finding.acknowledgementReason!, level: finding.level } : {}),
    },
    violatingResources: [where],
  };
}
