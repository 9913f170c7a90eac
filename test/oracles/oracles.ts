/**
 * The third-party oracles of the property-based tests: cdk-nag v3 packs, the AWS Control Tower
 * proactive controls of `@cdklabs/cdk-validator-cfnguard`, and CDK's built-in CloudFormation
 * validator with its default rules turned into errors.
 */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** An app whose synthesis runs the built-in validator with default rules as errors. */
export function oracleApp(): App {
  return new App({
    outdir: mkdtempSync(join(tmpdir(), 'ceg-oracle-')),
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
}

export interface OracleViolation {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/**
 * Synthesizes with the Control Tower controls and reports every violation of the built-in
 * validator and of cfn-guard (filtered by the caller).
 */
export function templateOracles(app: App): OracleViolation[] {
  Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }) as unknown as IPolicyValidationPlugin);
  try {
    app.synth();
  } catch {
    // A failing report throws; the report file says why, and the caller judges it.
  }
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => ({
    plugin: r.pluginName,
    rule: `${v.ruleName} ${v.description ?? ''}`,
    severity: v.severity,
    paths: v.violatingConstructs.map((c: any) => c.constructPath),
  })));
}

/** The violations of the cdk-nag packs AwsSolutions, NIST 800-53 R5 and PCI DSS 3.2.1. */
export function nagViolations(scope: IConstruct): OracleViolation[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
  return packs.flatMap(pack => pack.validateScope(scope).violations.map(v => ({
    plugin: pack.readPackName,
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    paths: v.violatingResources.map(r => r.constructPath ?? ''),
  })));
}

/** Violations that matter: errors of the built-in validator, and the named rules of the others. */
export function relevant(violations: OracleViolation[], rules: RegExp): OracleViolation[] {
  return violations.filter(v => rules.test(v.rule) || (/CloudFormation/i.test(v.plugin) && /error|fatal/.test(v.severity)));
}
