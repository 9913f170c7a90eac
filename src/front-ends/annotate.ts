import { Annotations, CfnResource, Validations } from 'aws-cdk-lib';
import { Finding } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { ACKNOWLEDGED_FINDING_METADATA, AcknowledgedFindingData } from '../gate/report-metadata';

/** Records a finding on the resource; returns whether it fails synthesis. */
export function annotate(resource: CfnResource, finding: Finding): boolean {
  if (finding.acknowledged) {
    // Recorded for the report command, not printed: CDK prints no acknowledged warning either, and an
    // info annotation would come with CDK's "Acknowledge with ..." hint on a finding already acknowledged.
    const data: AcknowledgedFindingData = {
      ruleId: finding.ruleId,
      level: finding.level,
      message: finding.message,
      reason: finding.acknowledgementReason!,
      acknowledgedId: finding.acknowledgementId!,
    };
    resource.node.addMetadata(ACKNOWLEDGED_FINDING_METADATA, data);
    return false;
  }
  // CDK's current annotation APIs: `Validations` for errors and warnings (with the rule ID),
  // `addInfoV2` for infos (Validations has no info).
  switch (finding.level) {
    case FindingLevel.ERROR:
      Validations.of(resource).addError(finding.ruleId, finding.message);
      return true;
    case FindingLevel.WARNING:
      Validations.of(resource).addWarning(finding.ruleId, finding.message);
      return false;
    default:
      // With its rule ID, so that CDK's hint names the ID that acknowledges it.
      Annotations.of(resource).addInfoV2(finding.ruleId, finding.message);
      return false;
  }
}
