import { existsSync, readdirSync, readFileSync } from 'fs';
import { isAbsolute, join, posix, relative, sep } from 'path';
import { ReportedFinding, ReportInputError, RULE_PREFIX, severity } from './reported-finding';
import { resourceLines } from './template-lines';
import { ACKNOWLEDGED_FINDING_METADATA } from '../gate/report-metadata';

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

/** What the report reads of a cloud-assembly manifest; every field may be missing or malformed. */
interface ManifestJson {
  readonly artifacts?: Record<string, ArtifactJson | undefined>;
}

interface ArtifactJson {
  readonly type?: unknown;
  readonly properties?: { readonly directoryName?: unknown; readonly templateFile?: unknown };
  readonly metadata?: Record<string, MetadataEntry[] | undefined>;
  readonly additionalMetadataFile?: unknown;
}

/** A resource known from stack metadata: its logical ID and the template it is in. */
export interface ResourceSite {
  logicalId?: string;
  templateFile?: string;
}

/** A `CEG-…` annotation as read from a stack's metadata, with the acknowledgement the Aspect recorded. */
export interface RecordedAnnotation {
  readonly path: string;
  readonly level: ReportedFinding['level'];
  readonly text: string;
  readonly acknowledged?: { reason: string; level: ReportedFinding['level'] };
}

/**
 * Reads the manifests of a cloud assembly (the root one and every nested one) and remembers what
 * the stacks' metadata says: where each resource is, what was acknowledged, and the gate's
 * annotations. The readers of findings look things up here.
 */
export class AssemblyReader {
  public stackCount = 0;
  /** Construct path → what the metadata says about that construct. */
  private readonly sites = new Map<string, ResourceSite>();
  /** Construct path → acknowledged rule IDs (any namespace) with their reasons. */
  private readonly acknowledgements = new Map<string, Map<string, string>>();
  /** The gate's annotations, in the order they were read. */
  public readonly annotations: RecordedAnnotation[] = [];
  /** Template file (root-relative) → logical ID → line. */
  private readonly lineCache = new Map<string, Map<string, number>>();
  /** Every template file seen, by assembly subdirectory. */
  private readonly templatesByDir = new Map<string, Set<string>>();

  constructor(private readonly root: string) {}

  /** What the metadata says about the construct at `path`: its logical ID and template, when known. */
  public siteOf(path: string): ResourceSite {
    return this.sites.get(path) ?? {};
  }

  /** Reads the manifest of the assembly in `subdir` (root-relative, '' for the root). */
  public readManifest(subdir: string): void {
    const manifest = this.readJson(posix.join(subdir, 'manifest.json')) as ManifestJson | undefined;
    const artifacts: Record<string, ArtifactJson | undefined> = manifest?.artifacts ?? {};
    for (const artifact of Object.values(artifacts)) {
      if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
        this.readManifest(posix.join(subdir, artifact.properties.directoryName));
      } else if (artifact?.type === 'aws:cloudformation:stack') {
        this.readStack(subdir, artifact);
      }
    }
  }

  private readStack(subdir: string, artifact: ArtifactJson): void {
    this.stackCount++;
    const templateFile = typeof artifact.properties?.templateFile === 'string'
      ? posix.join(subdir, artifact.properties.templateFile)
      : undefined;
    const metadata: Record<string, MetadataEntry[] | undefined> = { ...artifact.metadata ?? {} };
    if (typeof artifact.additionalMetadataFile === 'string') {
      const more = (this.readJson(posix.join(subdir, artifact.additionalMetadataFile)) ?? {}) as Record<string, MetadataEntry[] | undefined>;
      for (const [path, entries] of Object.entries(more)) {
        metadata[path] = [...metadata[path] ?? [], ...entries ?? []];
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
  public acknowledgementOf(path: string, ruleId: string): string | undefined {
    const parts = path.split('/');
    for (let n = parts.length; n > 0; n--) {
      const reason = this.acknowledgements.get(parts.slice(0, n).join('/'))?.get(ruleId);
      if (reason !== undefined) {
        return reason;
      }
    }
    return undefined;
  }

  /** The line of `logicalId` in `templateFile`; 1 when either is unknown. */
  public lineOf(templateFile: string | undefined, logicalId: string | undefined): number {
    return (templateFile !== undefined && logicalId !== undefined ? this.linesOf(templateFile).get(logicalId) : undefined) ?? 1;
  }

  /** A template path from the report (relative to the assembly, or absolute) made root-relative. */
  public rootRelative(templatePath: string): string {
    const rel = isAbsolute(templatePath) ? relative(this.root, templatePath) : templatePath;
    return rel.split(sep).join('/');
  }

  /** Parsed JSON of a file of the assembly (`undefined` when absent); callers check each field they read. */
  public readJson(file: string): unknown {
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
