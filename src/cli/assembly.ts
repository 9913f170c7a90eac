import { existsSync } from 'fs';
import { join } from 'path';
import { annotationFindings } from './annotation-findings';
import { AssemblyReader } from './assembly-reader';
import { AssemblyFindings, ReportedFinding, ReportInputError } from './reported-finding';
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
  };
}

/**
 * One finding per rule and construct path: a finding is in both the validation report and the
 * annotations when both the plugin and the Aspect ran. The first one read is kept, with the
 * acknowledgement of a later one when only that one knows it.
 */
function withoutDuplicates(findings: ReportedFinding[]): ReportedFinding[] {
  const byKey = new Map<string, ReportedFinding>();
  for (const finding of findings) {
    const key = `${finding.ruleId}\u0000${finding.constructPath}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, finding);
    } else if (!seen.acknowledged && finding.acknowledged) {
      // The Aspect knows the acknowledgement's reason even when the report does not.
      byKey.set(key, {
        ...seen,
        acknowledged: true,
        acknowledgementReason: finding.acknowledgementReason,
        level: finding.level,
        acknowledgedLevel: finding.acknowledgedLevel,
      });
    }
  }
  return [...byKey.values()];
}
