import { AssemblyFindings, ReportedFinding } from './assembly';
import { RuleMetadata } from './rules';
import { sorted } from './sarif';

const ICON: Record<string, string> = { error: '🔴 error', warning: '🟠 warning', info: '🔵 info' };

/**
 * The findings as Markdown for a pull-request comment: a summary line, a table of the open
 * findings (errors first), the fixes of the rules involved, and the acknowledged findings with
 * their reasons in a collapsed section.
 */
export function toMarkdown(assembly: AssemblyFindings, rules: readonly RuleMetadata[]): string {
  const open = sorted(assembly.findings.filter(f => !f.acknowledged));
  const acknowledged = sorted(assembly.findings.filter(f => f.acknowledged));
  const count = (level: string) => open.filter(f => f.level === level).length;
  const lines: string[] = ['## cdk-encryption-guard', ''];
  if (assembly.warning !== undefined) {
    // The directory name means nothing to a reader of the comment: the reason does.
    lines.push(`> ⚠️ ${cell(assembly.warning.replace(/^warning: \S+ is newer/, 'error.txt is newer'))}`, '');
  }

  if (open.length === 0) {
    lines.push(`✅ No open encryption findings in ${assembly.stackCount} stack${assembly.stackCount === 1 ? '' : 's'}`
      + `${acknowledged.length > 0 ? ` (${acknowledged.length} acknowledged)` : ''}.`);
  } else {
    lines.push(`**${count('error')} error${count('error') === 1 ? '' : 's'}**, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, `
      + `${count('info')} info, ${acknowledged.length} acknowledged, in ${assembly.stackCount} stack${assembly.stackCount === 1 ? '' : 's'}.`);
    lines.push('', '| Level | Rule | Resource | Template | Finding |', '| --- | --- | --- | --- | --- |');
    const order = { error: 0, warning: 1, info: 2 };
    for (const f of [...open].sort((a, b) => order[a.level] - order[b.level])) {
      lines.push(`| ${ICON[f.level]} | \`${f.ruleId}\` | \`${cell(f.constructPath)}\` | ${where(f)} | ${cell(f.message)} |`);
    }
    const involved = rules.filter(r => open.some(f => f.ruleId === r.id));
    if (involved.length > 0) {
      lines.push('', '### How to fix', '');
      for (const rule of involved) {
        lines.push(`- **\`${rule.id}\`** ${rule.title}: ${rule.fix}`);
      }
    }
    lines.push('', 'A finding you accept goes away with `Validations.of(resource).acknowledge({ id: \'CEG-…\', reason: \'…\' })`.');
  }

  if (acknowledged.length > 0) {
    lines.push('', `<details><summary>${acknowledged.length} acknowledged finding${acknowledged.length === 1 ? '' : 's'}</summary>`, '',
      '| Rule | Resource | Reason |', '| --- | --- | --- |');
    for (const f of acknowledged) {
      lines.push(`| \`${f.ruleId}\` | \`${cell(f.constructPath)}\` | ${cell(f.acknowledgementReason ?? '')} |`);
    }
    lines.push('', '</details>');
  }
  return lines.join('\n') + '\n';
}

function where(f: ReportedFinding): string {
  return f.templateFile !== undefined ? `\`${cell(f.templateFile)}:${f.line}\`` : '';
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
