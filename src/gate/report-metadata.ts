/**
 * The cloud-assembly metadata type under which the Aspect records an acknowledged finding on its
 * resource. It is no annotation type, so `cdk synth` does not print it (as CDK prints no
 * acknowledged warning or plugin violation); `cdk-encryption-guard report` reads it and lists the
 * finding as a suppression with its reason.
 */
export const ACKNOWLEDGED_FINDING_METADATA = 'cdk-encryption-guard:acknowledged-finding';

/** The data of an {@link ACKNOWLEDGED_FINDING_METADATA} entry. */
export interface AcknowledgedFindingData {
  readonly ruleId: string;
  /** The level the finding would have without the acknowledgement. */
  readonly level: string;
  readonly message: string;
  readonly reason: string;
  readonly acknowledgedId: string;
}
