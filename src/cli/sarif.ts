import { createHash } from 'crypto';
import { AssemblyFindings, ReportedFinding } from './assembly';
import { RuleMetadata } from './rules';

/** SARIF levels: `info` findings are SARIF notes. */
const SARIF_LEVEL: Record<string, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * GitHub code scanning ranks alerts of rules tagged `security` by this score (CVSS-like, 0–10):
 * high for error-level rules, medium for warnings, low for notes.
 */
const SECURITY_SEVERITY: Record<string, string> = { error: '7.5', warning: '5.0', info: '2.0' };

export interface SarifOptions {
  readonly toolVersion: string;
  readonly informationUri: string;
  /** Turns a root-relative template path into the URI written in the log. */
  readonly artifactUri: (templateFile: string) => string;
}

/**
 * A SARIF 2.1.0 log of the gate's findings: the catalogue as the driver's rules, one result per
 * finding at its level, located at the line of the resource's logical ID in its template and at
 * its construct path; acknowledged findings carry an accepted suppression with the reason.
 */
export function toSarif(assembly: AssemblyFindings, rules: readonly RuleMetadata[], options: SarifOptions): object {
  const known = new Map(rules.map((r, index) => [r.id, index]));
  // Rule IDs the catalogue does not list (a newer gate wrote the assembly, or CEG-GATE) still get a rule.
  const extra = [...new Set(assembly.findings.map(f => f.ruleId).filter(id => !known.has(id)))].sort();
  const allRules: RuleMetadata[] = [...rules, ...extra.map(unknownRule)];
  const index = new Map(allRules.map((r, i) => [r.id, i]));

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-encryption-guard',
          version: options.toolVersion,
          semanticVersion: /^\d+\.\d+\.\d+/.test(options.toolVersion) ? options.toolVersion : undefined,
          informationUri: options.informationUri,
          rules: allRules.map(rule => ({
            id: rule.id,
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.rationale },
            help: {
              text: `Fix: ${rule.fix}`,
              markdown: `**Why:** ${rule.rationale}\n\n**Fix:** ${rule.fix}\n\n`
                + `If the finding is intended, acknowledge it on the resource: \`Validations.of(resource).acknowledge({ id: '${rule.id}', reason: '…' })\`.`,
            },
            defaultConfiguration: { level: SARIF_LEVEL[rule.defaultLevel] ?? 'warning' },
            properties: {
              'tags': ['security', 'encryption', ...rule.service ? [rule.service] : []],
              'security-severity': SECURITY_SEVERITY[rule.defaultLevel] ?? SECURITY_SEVERITY.warning,
              'resourceTypes': rule.resourceTypes,
            },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: sorted(assembly.findings).map(finding => result(finding, allRules, index, options)),
    }],
  };
}

function result(finding: ReportedFinding, rules: RuleMetadata[], index: Map<string, number>, options: SarifOptions): object {
  const ruleIndex = index.get(finding.ruleId)!;
  const rule = rules[ruleIndex];
  const where = finding.propertyPaths.length > 0 ? ` [${finding.propertyPaths.join(', ')}]` : '';
  const level = finding.acknowledged
    // The level it would have without the acknowledgement: as recorded, else the rule's default.
    ? SARIF_LEVEL[finding.acknowledgedLevel ?? rule.defaultLevel] ?? 'note'
    : SARIF_LEVEL[finding.level];
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level,
    message: { text: `${finding.ruleId} on ${finding.constructPath}: ${finding.message}${where}` },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: finding.templateFile !== undefined ? options.artifactUri(finding.templateFile) : options.artifactUri('manifest.json') },
        region: { startLine: finding.line },
      },
      logicalLocations: [{
        name: finding.logicalId ?? finding.constructPath.split('/').pop(),
        fullyQualifiedName: finding.constructPath,
        kind: 'resource',
      }],
    }],
    partialFingerprints: {
      // Stable across syntheses as long as the construct keeps its path.
      'cdkEncryptionGuard/v1': createHash('sha256').update(`${finding.ruleId}|${finding.constructPath}`).digest('hex').slice(0, 32),
    },
    ...finding.acknowledged ? {
      suppressions: [{
        kind: 'inSource',
        status: 'accepted',
        justification: finding.acknowledgementReason ?? 'acknowledged',
      }],
    } : {},
    properties: {
      constructPath: finding.constructPath,
      ...finding.logicalId !== undefined ? { logicalId: finding.logicalId } : {},
      ...finding.propertyPaths.length > 0 ? { propertyPaths: finding.propertyPaths } : {},
      reportedLevel: finding.level,
      source: finding.source,
    },
  };
}

/** Findings in a stable order: template, line, rule. */
export function sorted(findings: ReportedFinding[]): ReportedFinding[] {
  return [...findings].sort((a, b) =>
    (a.templateFile ?? '').localeCompare(b.templateFile ?? '')
    || a.line - b.line
    || a.constructPath.localeCompare(b.constructPath)
    || a.ruleId.localeCompare(b.ruleId, undefined, { numeric: true }));
}

function unknownRule(id: string): RuleMetadata {
  return {
    id,
    title: `${id} (not in this version's rule catalogue)`,
    rationale: 'The cloud assembly names a rule that this version of cdk-encryption-guard does not describe.',
    fix: 'See the message of the result, or update cdk-encryption-guard to the version that synthesized the app.',
    defaultLevel: 'error',
    resourceTypes: [],
  };
}
