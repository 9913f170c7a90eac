import { AssemblyReader } from './assembly-reader';
import { ReportedFinding, RULE_PREFIX, severity, stripRuleId } from './reported-finding';

/** What the report reads of CDK's `validation-report.json`; every field may be missing or malformed. */
interface ValidationReportJson {
  readonly pluginReports?: Array<{
    readonly violations?: ViolationJson[];
    readonly suppressedViolations?: ViolationJson[];
  } | undefined>;
}

interface ViolationJson {
  readonly ruleName?: unknown;
  readonly description?: unknown;
  readonly severity?: unknown;
  /** Set by CDK on a suppressed violation. */
  readonly reason?: unknown;
  readonly ruleMetadata?: { readonly acknowledgementReason?: unknown; readonly level?: unknown };
  readonly violatingConstructs?: Array<{
    readonly constructPath?: unknown;
    readonly cloudFormationResource?: { readonly templatePath?: unknown; readonly logicalId?: unknown; readonly propertyPaths?: unknown };
  } | undefined>;
}

/**
 * Findings from `validation-report.json` (none when there is no report), written by the
 * `EncryptionChecks` plugin: only the gate's rules, each at every construct it names.
 */
export function validationReportFindings(reader: AssemblyReader): ReportedFinding[] {
  const report = reader.readJson('validation-report.json') as ValidationReportJson | undefined;
  const findings: ReportedFinding[] = [];
  for (const plugin of report?.pluginReports ?? []) {
    // CDK moves the violations the user acknowledged to `suppressedViolations`, with the reason.
    const violations = [
      ...(plugin?.violations ?? []).map(v => ({ violation: v, suppressed: false })),
      ...(plugin?.suppressedViolations ?? []).map(v => ({ violation: v, suppressed: true })),
    ];
    for (const { violation, suppressed } of violations) {
      // An acknowledged finding carries the acknowledged ID (`Annotation::CEG-S3-1`).
      const ruleName = String(violation?.ruleName ?? '');
      const ruleId = ruleName.includes('::') ? ruleName.slice(ruleName.lastIndexOf('::') + 2) : ruleName;
      if (!RULE_PREFIX.test(`${ruleId}: `)) {
        continue; // another plugin's rule (cdk-nag, cfn-guard…)
      }
      const description = String(violation.description ?? '');
      const acknowledgedPrefix = /^Acknowledged \((.*?)\):\s*/.exec(description);
      const metadataReason = suppressed && typeof violation.reason === 'string' ? violation.reason : violation.ruleMetadata?.acknowledgementReason;
      const recordedLevel = violation.ruleMetadata?.level;
      for (const resource of violation.violatingConstructs ?? []) {
        const constructPath = String(resource?.constructPath ?? '').replace(/^\//, '');
        const cfn = resource?.cloudFormationResource ?? {};
        const site = reader.siteOf(constructPath);
        const templateFile = typeof cfn.templatePath === 'string' ? reader.rootRelative(cfn.templatePath) : site.templateFile;
        const logicalId = typeof cfn.logicalId === 'string' ? cfn.logicalId : site.logicalId;
        // Only what the plugin or CDK recorded for this violation: an acknowledgement on the construct
        // may be narrowed, or in another plugin's namespace, and acknowledge nothing here.
        const reason = typeof metadataReason === 'string' ? metadataReason : acknowledgedPrefix?.[1];
        const acknowledged = suppressed || reason !== undefined;
        findings.push({
          ruleId,
          level: severity(violation.severity),
          message: stripRuleId(description.slice(acknowledgedPrefix?.[0].length ?? 0)),
          constructPath,
          templateFile,
          logicalId,
          line: reader.lineOf(templateFile, logicalId),
          propertyPaths: Array.isArray(cfn.propertyPaths) ? cfn.propertyPaths.map(String) : [],
          acknowledged,
          acknowledgementReason: acknowledged ? reason ?? 'acknowledged' : undefined,
          acknowledgedLevel: acknowledged && typeof recordedLevel === 'string' ? severity(recordedLevel) : undefined,
          source: 'validation-report',
        });
      }
    }
  }
  return findings;
}
