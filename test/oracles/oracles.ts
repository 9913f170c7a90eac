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
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
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
  // Anything CDK prints about a failing report is captured: the report file has it all, and
  // every-construct.test.ts asserts on the report the synthesis error carries.
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch {
    // A failing report throws; the report file says why, and the caller judges it.
  } finally {
    printed.mockRestore();
  }
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => ({
    plugin: r.pluginName,
    rule: `${v.ruleName} ${v.description ?? ''}`,
    severity: v.severity,
    paths: v.violatingConstructs.map((c: any) => c.constructPath),
  })));
}

/**
 * The violations of the cdk-nag packs AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS
 * 3.2.1. Synthesize first: some acknowledgements of our constructs are made at synthesis.
 */
export function nagViolations(scope: IConstruct): OracleViolation[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
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

/**
 * Findings of the packs and controls that stay the user's choice (replication, backups, monitoring,
 * WAF, ...): our constructs never acknowledge them, and the README's "cdk-nag and Control Tower"
 * table lists each, per construct, with what satisfies it. By rule name without the pack prefix
 * (cdk-nag) or by Control Tower rule name.
 */
export const USER_CHOICES: { readonly [construct: string]: readonly string[] } = {
  EncryptedBucket: ['S3BucketReplicationEnabled', 's3_bucket_object_lock_enabled_check', 's3_event_notifications_enabled_check',
    's3_lifecycle_policy_check', 's3_version_lifecycle_policy_check'],
  AccessLogBucket: ['S3BucketReplicationEnabled', 's3_bucket_object_lock_enabled_check', 's3_event_notifications_enabled_check',
    's3_lifecycle_policy_check', 's3_version_lifecycle_policy_check'],
  AcmFrontedAlb: ['ALBWAFEnabled', 'ELBDeletionProtectionEnabled', 'elbv2_deletion_protection_enabled_check'],
  EncryptedRdsInstance: ['RDSEnhancedMonitoringEnabled', 'RDSInBackupPlan', 'rds_instance_backup_enabled_check',
    'rds_instance_enhanced_monitoring_enabled_check', 'rds_instance_iam_authentication_enabled_check'],
};

/** A violation's rule without pack prefix or finding suffix: `S3BucketLoggingEnabled`, `s3_bucket_logging_enabled_check`. */
export function ruleOf(v: OracleViolation): string {
  return v.rule.split(' ')[0].replace(/^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R5|PCI\.DSS\.321)-/, '').replace(/\[.*\]$/, '');
}

const ALL_USER_CHOICES = new Set(Object.values(USER_CHOICES).flat());

/** Whether the finding is one of those that stay the user's choice. */
export function isUserChoice(v: OracleViolation): boolean {
  return ALL_USER_CHOICES.has(ruleOf(v));
}

/**
 * Every finding of the four cdk-nag packs, the Control Tower controls and the built-in validator
 * (errors) on the resources `ours` selects, except those that stay the user's choice. Synthesizes.
 */
export function unacknowledgedFindings(app: App, ours: (path: string) => boolean): OracleViolation[] {
  const fromTemplates = templateOracles(app).filter(v => !/CloudFormation/i.test(v.plugin) || /error|fatal/.test(v.severity));
  return [...fromTemplates, ...nagViolations(app)]
    .map(v => ({ ...v, paths: v.paths.filter(ours) }))
    .filter(v => v.paths.length > 0 && !isUserChoice(v));
}
