import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { annotationFindings } from './annotation-findings';
import { AssemblyReader } from './assembly-reader';
import { AssemblyFindings, ReportedFinding, ReportInputError, strictness } from './reported-finding';
import { validationReportFindings } from './validation-report';

// The types of the report live in their own file; they are exported from here too, where the
// report's writers have always imported them.
export { AssemblyFindings, ReportedFinding, ReportInputError } from './reported-finding';

/**
 * Reads the gate's findings from a cloud assembly: `validation-report.json` (written by the
 * `EncryptionChecks` plugin) and the `CEG-…` annotations that `EnforceEncryption` leaves in the
 * stacks' metadata, in the root assembly and every nested one (Stages). A finding in both is
 * reported once.
 */
export function readAssembly(directory: string): AssemblyFindings {
  if (!existsSync(join(directory, 'manifest.json'))) {
    throw new ReportInputError(`CLOUD_ASSEMBLY_DIR "${directory}" is not a cloud assembly (no manifest.json there). `
      + 'Run `cdk synth` first, or pass the directory it writes to (`--output` of cdk synth; default cdk.out).');
  }
  const reader = new AssemblyReader(directory);
  reader.readManifest('');
  const fromReport = validationReportFindings(reader);
  const fromAnnotations = annotationFindings(reader);

  return {
    directory,
    findings: withoutDuplicates([...fromReport, ...fromAnnotations]),
    hasValidationReport: existsSync(join(directory, 'validation-report.json')),
    stackCount: reader.stackCount,
    warning: staleWarning(directory),
  };
}

/**
 * A warning when the assembly may be an earlier synthesis's. A failing synthesis writes nothing when
 * the Aspect (or anything before the validation plugins) stops it, and leaves what the directory
 * held. The `cdk` CLI removes `error.txt` when a synthesis starts, and aws-cdk-lib writes it whenever
 * one of its errors is made, even one that is caught: it is only a hint. One newer than the assembly
 * (its manifest and validation report) says that an error came after the assembly was written.
 */
function staleWarning(directory: string): string | undefined {
  const modified = (file: string) => {
    try {
      return statSync(join(directory, file)).mtimeMs;
    } catch {
      return undefined;
    }
  };
  // aws-cdk-lib writes the manifest before its validation phase, and the validation report (with
  // a plugin, or annotations in the report) after it: an error caught there is not newer than that.
  const error = modified('error.txt');
  const written = Math.max(modified('manifest.json') ?? -Infinity, modified('validation-report.json') ?? -Infinity);
  if (error === undefined || written === -Infinity || error <= written) {
    return undefined;
  }
  return `warning: ${join(directory, 'error.txt')} is newer than the assembly there: the last \`cdk synth\` into this directory may have failed `
    + 'before writing an assembly, and these findings may be an earlier synthesis\'s. Synthesize into a fresh directory (a CI checkout is one) '
    + 'to be sure; EncryptionChecks alone writes its report even when synthesis fails.';
}

/**
 * One finding per rule and construct path: a finding is in both the validation report and the
 * annotations when both front ends ran, and in several plugin reports when plugins of other options
 * ran on a Stage and on the App.
 */
function withoutDuplicates(findings: ReportedFinding[]): ReportedFinding[] {
  const byKey = new Map<string, ReportedFinding[]>();
  for (const finding of findings) {
    const key = `${finding.ruleId}\u0000${finding.constructPath}`;
    byKey.set(key, [...byKey.get(key) ?? [], finding]);
  }
  return [...byKey.values()].map(merged);
}

/**
 * One finding from its copies. Open when any copy is open (a front end or a plugin still reports
 * it), at the strictest level of the open copies: the one that failed synthesis, if one did.
 * Otherwise acknowledged, with the first recorded reason and the strictest level it would have had.
 */
function merged(copies: ReportedFinding[]): ReportedFinding {
  const open = copies.filter(c => !c.acknowledged);
  if (open.length > 0) {
    return open.reduce((kept, copy) => strictness(copy.level) > strictness(kept.level) ? copy : kept);
  }
  const levels = copies.map(c => c.acknowledgedLevel).filter((l): l is ReportedFinding['level'] => l !== undefined);
  const reason = copies.map(c => c.acknowledgementReason).find(r => r !== undefined && r !== 'acknowledged') ?? copies[0].acknowledgementReason;
  return {
    ...copies[0],
    acknowledgementReason: reason,
    acknowledgedLevel: levels.length === 0 ? undefined : levels.reduce((a, b) => strictness(b) > strictness(a) ? b : a),
  };
}
