import { existsSync, readdirSync, readFileSync } from 'fs';
import { isAbsolute, join, posix, relative, sep } from 'path';
import { Names } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ReportedFinding, ReportInputError, RULE_PREFIX, severity } from './reported-finding';
import { resourceLines } from './template-lines';
import { ACKNOWLEDGED_FINDING_METADATA } from '../gate/report-metadata';

const LEVEL_OF_TYPE: Record<string, ReportedFinding['level']> = {
  'aws:cdk:error': 'error',
  'aws:cdk:warning': 'warning',
  'aws:cdk:info': 'info',
};

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
  /** The gate's annotations, in the order they were read. */
  public readonly annotations: RecordedAnnotation[] = [];
  /** Template file (root-relative) → logical ID → line. */
  private readonly lineCache = new Map<string, Map<string, number>>();
  /** Construct path → the file name of a nested stack's template there. */
  private readonly nestedFiles = new Map<string, string>();
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
    // The nested stacks whose resources this stack's metadata holds, by the path of their
    // `AWS::CloudFormation::Stack` resource (`<parent>/<id>.NestedStack/<id>.NestedStackResource`).
    const nestedStacks = new Set<string>();
    for (const rawPath of Object.keys(metadata)) {
      const nested = /^\/?(.*)\/([^/]+)\.NestedStack\/\2\.NestedStackResource$/.exec(rawPath);
      if (nested !== null) {
        nestedStacks.add(`${nested[1]}/${nested[2]}`);
      }
    }
    for (const [rawPath, entries] of Object.entries(metadata)) {
      const path = rawPath.replace(/^\//, '');
      for (const entry of entries ?? []) {
        if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
          this.sites.set(path, { logicalId: entry.data, templateFile: this.templateOf(subdir, templateFile, nestedStacks, path, entry.data) });
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
   * The template that holds the resource at `path`, of logical ID `logicalId`: a nested stack's
   * resources are annotated in the metadata of the stack at the top of its template chain, and
   * nested stacks built by one class share logical IDs, so the closest of the stack's nested stacks
   * above the path tells (its template file is named after its path, as aws-cdk-lib names it); then
   * the stack's own template, then the one nested template of its assembly directory that holds the ID.
   */
  private templateOf(subdir: string, stackTemplate: string | undefined, nestedStacks: ReadonlySet<string>, path: string,
    logicalId: string): string | undefined {
    const files = this.templateFilesIn(subdir);
    for (let prefix = path, end = prefix.lastIndexOf('/'); nestedStacks.size > 0 && end > 0; end = prefix.lastIndexOf('/')) {
      prefix = prefix.slice(0, end);
      if (nestedStacks.has(prefix)) {
        const file = posix.join(subdir, this.nestedTemplateFileOf(prefix));
        if (files.includes(file) && this.linesOf(file).has(logicalId)) {
          return file;
        }
      }
    }
    if (stackTemplate !== undefined && this.linesOf(stackTemplate).has(logicalId)) {
      return stackTemplate;
    }
    const nested = files.filter(f => f.endsWith('.nested.template.json') && this.linesOf(f).has(logicalId));
    return nested.length === 1 ? nested[0] : stackTemplate;
  }

  /** The template file aws-cdk-lib writes for the nested stack at this path (see `nestedTemplateFile`), remembered. */
  private nestedTemplateFileOf(path: string): string {
    let file = this.nestedFiles.get(path);
    if (file === undefined) {
      file = nestedTemplateFile(path.split('/'));
      this.nestedFiles.set(path, file);
    }
    return file;
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

/**
 * The template file aws-cdk-lib writes for a nested stack at this construct path (its unique ID,
 * which `Names.uniqueId` computes from the path alone).
 */
function nestedTemplateFile(components: readonly string[]): string {
  let scope = new Construct(undefined as unknown as Construct, '');
  for (const id of components) {
    scope = new Construct(scope, id);
  }
  return `${Names.uniqueId(scope)}.nested.template.json`;
}
