import { existsSync, readFileSync } from 'fs';
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
  refuseStaleAssembly(directory, reader);
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
 * The `cdk` CLI removes `error.txt` from the output directory when a synthesis starts and writes it
 * when the app fails. A failing synthesis writes nothing when the Aspect (or anything before the
 * validation plugins) stops it, leaving an earlier synthesis's assembly; the validation plugins run
 * after the assembly is written, and a failed one says so in `validation-report.json`. So, after a
 * failure, the assembly is this synthesis's only when a plugin report there failed.
 */
function refuseStaleAssembly(directory: string, reader: AssemblyReader): void {
  const errorFile = join(directory, 'error.txt');
  if (!existsSync(errorFile)) {
    return;
  }
  const report = reader.readJson('validation-report.json') as { pluginReports?: Array<{ conclusion?: unknown } | undefined> } | undefined;
  if ((report?.pluginReports ?? []).some(r => r?.conclusion === 'failure')) {
    return;
  }
  let code = '';
  try {
    code = readFileSync(errorFile, 'utf8').trim().slice(0, 200);
  } catch {
    // unreadable: the code is only for the message
  }
  throw new ReportInputError(`The last \`cdk synth\` into "${directory}" failed (error.txt${code === '' ? '' : `: ${code}`}), and no validation report of `
    + 'that synthesis says why: what the directory holds is an earlier synthesis\'s, so its findings could be stale. Fix what `cdk synth` printed and '
    + 'synthesize again, or synthesize with EncryptionChecks alone: it writes its report even when synthesis fails (EnforceEncryption stops a failing '
    + 'synthesis before anything is written).');
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
