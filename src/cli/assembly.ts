import { existsSync, readdirSync, readFileSync } from 'fs';
import { isAbsolute, join, posix, relative, sep } from 'path';
import { resourceLines } from './template-lines';
import { ACKNOWLEDGED_FINDING_METADATA } from '../gate/report-metadata';

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
}

/** An error about the input of the command, worded for the user. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** A rule ID of the gate at the start of an annotation: `CEG-S3-1: ...`. */
const RULE_PREFIX = /^(CEG-[A-Z0-9]+(?:-[A-Z0-9]+)*):\s*/;
const LEVEL_OF_TYPE: Record<string, ReportedFinding['level']> = {
  'aws:cdk:error': 'error',
  'aws:cdk:warning': 'warning',
  'aws:cdk:info': 'info',
};
const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

/** A resource known from stack metadata: its logical ID and the template it is in. */
interface ResourceSite {
  logicalId?: string;
  templateFile?: string;
}

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
  const fromReport = reader.readValidationReport();
  const fromAnnotations = reader.annotationFindings();

  const byKey = new Map<string, ReportedFinding>();
  for (const finding of [...fromReport, ...fromAnnotations]) {
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
  return {
    directory,
    findings: [...byKey.values()],
    hasValidationReport: existsSync(join(directory, 'validation-report.json')),
    stackCount: reader.stackCount,
  };
}

class AssemblyReader {
  public stackCount = 0;
  /** Construct path → what the metadata says about that construct. */
  private readonly sites = new Map<string, ResourceSite>();
  /** Construct path → acknowledged rule IDs (any namespace) with their reasons. */
  private readonly acknowledgements = new Map<string, Map<string, string>>();
  private readonly annotations: Array<{ path: string; level: ReportedFinding['level']; text: string; acknowledged?: { reason: string; level: ReportedFinding['level'] } }> = [];
  /** Template file (root-relative) → logical ID → line. */
  private readonly lineCache = new Map<string, Map<string, number>>();
  /** Every template file seen, by assembly subdirectory. */
  private readonly templatesByDir = new Map<string, Set<string>>();

  constructor(private readonly root: string) {}

  /** Reads the manifest of the assembly in `subdir` (root-relative, '' for the root). */
  public readManifest(subdir: string): void {
    const manifest = this.readJson(posix.join(subdir, 'manifest.json'));
    const artifacts: Record<string, any> = manifest?.artifacts ?? {};
    for (const artifact of Object.values(artifacts)) {
      if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
        this.readManifest(posix.join(subdir, artifact.properties.directoryName));
      } else if (artifact?.type === 'aws:cloudformation:stack') {
        this.readStack(subdir, artifact);
      }
    }
  }

  // `any`: a manifest artifact as CDK writes it, read defensively field by field (internal to the
  // report command, never part of the jsii API).
  private readStack(subdir: string, artifact: any): void {
    this.stackCount++;
    const templateFile = typeof artifact.properties?.templateFile === 'string'
      ? posix.join(subdir, artifact.properties.templateFile)
      : undefined;
    const metadata: Record<string, MetadataEntry[]> = { ...artifact.metadata ?? {} };
    if (typeof artifact.additionalMetadataFile === 'string') {
      const more = this.readJson(posix.join(subdir, artifact.additionalMetadataFile)) ?? {};
      for (const [path, entries] of Object.entries(more)) {
        metadata[path] = [...metadata[path] ?? [], ...(entries as MetadataEntry[])];
      }
    }
    for (const [rawPath, entries] of Object.entries(metadata)) {
      const path = rawPath.replace(/^\//, '');
      for (const entry of entries ?? []) {
        if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
          this.sites.set(path, { logicalId: entry.data, templateFile: this.templateOf(subdir, templateFile, entry.data) });
        } else if (entry.type === ACKNOWLEDGED_RULES && typeof entry.data === 'object' && entry.data !== null) {
          const rules = this.acknowledgements.get(path) ?? new Map<string, string>();
          for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
            // Keys are `Namespace::ID` (for example `Annotation::CEG-S3-1`) or a bare ID.
            rules.set(id.includes('::') ? id.slice(id.lastIndexOf('::') + 2) : id, String(reason));
          }
          this.acknowledgements.set(path, rules);
        } else if (LEVEL_OF_TYPE[entry.type] !== undefined && typeof entry.data === 'string' && RULE_PREFIX.test(entry.data)) {
          this.annotations.push({ path, level: LEVEL_OF_TYPE[entry.type], text: entry.data });
        } else if (entry.type === ACKNOWLEDGED_FINDING_METADATA && typeof entry.data === 'object' && entry.data !== null) {
          // What the Aspect records, unprinted, for a finding the user acknowledged.
          const data = entry.data as Record<string, unknown>;
          if (typeof data.message === 'string' && RULE_PREFIX.test(data.message)) {
            this.annotations.push({
              path,
              level: 'info',
              text: data.message,
              acknowledged: { reason: String(data.reason ?? 'acknowledged'), level: severity(data.level) },
            });
          }
        }
      }
    }
  }

  /**
   * The template that holds `logicalId` among the stack's own and the nested stack templates of
   * its assembly directory (a nested stack's resources are annotated in its parent's metadata).
   */
  private templateOf(subdir: string, stackTemplate: string | undefined, logicalId: string): string | undefined {
    if (stackTemplate !== undefined && this.linesOf(stackTemplate).has(logicalId)) {
      return stackTemplate;
    }
    const nested = this.templateFilesIn(subdir).filter(f => f.endsWith('.nested.template.json') && this.linesOf(f).has(logicalId));
    return nested.length === 1 ? nested[0] : stackTemplate;
  }

  private templateFilesIn(subdir: string): string[] {
    const known = this.templatesByDir.get(subdir);
    if (known !== undefined) {
      return [...known];
    }
    let names: string[] = [];
    try {
      names = readdirSync(join(this.root, subdir)).filter(n => n.endsWith('.template.json'));
    } catch {
      // an unreadable directory has no templates
    }
    const files = names.map(n => posix.join(subdir, n));
    this.templatesByDir.set(subdir, new Set(files));
    return files;
  }

  /** Logical ID → line, for a root-relative template file. */
  public linesOf(templateFile: string): Map<string, number> {
    let lines = this.lineCache.get(templateFile);
    if (lines === undefined) {
      try {
        lines = resourceLines(readFileSync(join(this.root, templateFile), 'utf8'));
      } catch {
        lines = new Map();
      }
      this.lineCache.set(templateFile, lines);
    }
    return lines;
  }

  /** The reason of an acknowledgement of `ruleId` on `path` or one of its ancestors. */
  private acknowledgementOf(path: string, ruleId: string): string | undefined {
    const parts = path.split('/');
    for (let n = parts.length; n > 0; n--) {
      const reason = this.acknowledgements.get(parts.slice(0, n).join('/'))?.get(ruleId);
      if (reason !== undefined) {
        return reason;
      }
    }
    return undefined;
  }

  /** Findings from `validation-report.json` (none when there is no report). */
  public readValidationReport(): ReportedFinding[] {
    const report = this.readJson('validation-report.json');
    const findings: ReportedFinding[] = [];
    for (const plugin of report?.pluginReports ?? []) {
      // CDK moves the violations the user acknowledged to `suppressedViolations`, with the reason.
      const violations = [
        ...(plugin?.violations ?? []).map((v: any) => ({ violation: v, suppressed: false })),
        ...(plugin?.suppressedViolations ?? []).map((v: any) => ({ violation: v, suppressed: true })),
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
          const site = this.sites.get(constructPath) ?? {};
          const templateFile = typeof cfn.templatePath === 'string' ? this.rootRelative(cfn.templatePath) : site.templateFile;
          const logicalId = typeof cfn.logicalId === 'string' ? cfn.logicalId : site.logicalId;
          const reason = typeof metadataReason === 'string' ? metadataReason : acknowledgedPrefix?.[1] ?? this.acknowledgementOf(constructPath, ruleId);
          const acknowledged = suppressed || (reason !== undefined && (violation.severity === 'info' || acknowledgedPrefix !== null || typeof metadataReason === 'string'));
          findings.push({
            ruleId,
            level: severity(violation.severity),
            message: stripRuleId(description.slice(acknowledgedPrefix?.[0].length ?? 0)),
            constructPath,
            templateFile,
            logicalId,
            line: this.lineOf(templateFile, logicalId),
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

  /** Findings from the `CEG-…` annotations of every stack read. */
  public annotationFindings(): ReportedFinding[] {
    return this.annotations.map(({ path, level, text, acknowledged }) => {
      const ruleId = RULE_PREFIX.exec(text)![1];
      let message = stripRuleId(text)
        // addWarningV2/addInfoV2 append the acknowledgement ID, Validations.addError the qualified ID.
        .replace(/\s*\[ack: [^\]]*\]\s*$/, '')
        .replace(/\s*\((?:Annotation|annotation)::CEG-[A-Z0-9-]+\)\s*$/, '');
      const inline = /\s*\[acknowledged: (.*)\]\s*$/.exec(message);
      if (inline !== null) {
        message = message.slice(0, inline.index);
      }
      const reason = acknowledged?.reason ?? inline?.[1] ?? (level === 'info' ? this.acknowledgementOf(path, ruleId) : undefined);
      const site = this.sites.get(path) ?? {};
      return {
        ruleId,
        level,
        message,
        constructPath: path,
        templateFile: site.templateFile,
        logicalId: site.logicalId,
        line: this.lineOf(site.templateFile, site.logicalId),
        propertyPaths: [],
        acknowledged: reason !== undefined,
        acknowledgementReason: reason,
        acknowledgedLevel: acknowledged?.level,
        source: 'annotation' as const,
      };
    });
  }

  private lineOf(templateFile: string | undefined, logicalId: string | undefined): number {
    return (templateFile !== undefined && logicalId !== undefined ? this.linesOf(templateFile).get(logicalId) : undefined) ?? 1;
  }

  /** A template path from the report (relative to the assembly, or absolute) made root-relative. */
  private rootRelative(templatePath: string): string {
    const rel = isAbsolute(templatePath) ? relative(this.root, templatePath) : templatePath;
    return rel.split(sep).join('/');
  }

  // `any`: parsed cloud-assembly JSON (manifests, validation report) whose fields each caller checks
  // before use; internal to the report command, never part of the jsii API.
  private readJson(file: string): any {
    const path = join(this.root, file);
    if (!existsSync(path)) {
      return undefined;
    }
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ReportInputError(`${path} is not valid JSON (${(e as Error).message}). Synthesize the app again to rewrite it.`);
    }
  }
}

function severity(value: unknown): ReportedFinding['level'] {
  return value === 'error' || value === 'warning' ? value : 'info';
}

/** The message without its leading `CEG-…: `. */
function stripRuleId(text: string): string {
  return text.replace(RULE_PREFIX, '').trim();
}
