import { AssemblyReader } from './assembly-reader';
import { ReportedFinding, RULE_PREFIX, stripRuleId } from './reported-finding';

/** Findings from the `CEG-…` annotations of every stack the reader read. */
export function annotationFindings(reader: AssemblyReader): ReportedFinding[] {
  return reader.annotations.map(({ path, level, text, acknowledged }) => {
    const ruleId = RULE_PREFIX.exec(text)![1];
    let message = stripRuleId(text)
      // addWarningV2/addInfoV2 append the acknowledgement ID, Validations.addError the qualified ID.
      .replace(/\s*\[ack: [^\]]*\]\s*$/, '')
      .replace(/\s*\((?:Annotation|annotation)::CEG-[A-Z0-9-]+\)\s*$/, '');
    const inline = /\s*\[acknowledged: (.*)\]\s*$/.exec(message);
    if (inline !== null) {
      message = message.slice(0, inline.index);
    }
    // Only what the Aspect recorded: an info annotation is an open finding at info level.
    const reason = acknowledged?.reason ?? inline?.[1];
    const site = reader.siteOf(path);
    return {
      ruleId,
      level,
      message,
      constructPath: path,
      templateFile: site.templateFile,
      logicalId: site.logicalId,
      line: reader.lineOf(site.templateFile, site.logicalId),
      propertyPaths: [],
      acknowledged: reason !== undefined,
      acknowledgementReason: reason,
      acknowledgedLevel: acknowledged?.level,
      source: 'annotation' as const,
    };
  });
}
