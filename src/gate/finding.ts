import { FindingLevel } from './levels';

/**
 * Why a resource was reported.
 */
export enum FindingKind {
  /** The resource does not meet the rule. */
  NON_COMPLIANT = 'non-compliant',
  /**
   * The gate cannot tell at synth time (a parameter, a condition, an import, a resource outside
   * the app). Never a pass.
   */
  UNRESOLVABLE = 'unresolvable',
}

/**
 * One rule's verdict on one resource that did not pass.
 */
export interface Finding {
  /** The rule ID, for example `CEG-S3-1`. */
  readonly ruleId: string;
  /** Non-compliant or unresolvable. */
  readonly kind: FindingKind;
  /** The level after options were applied. */
  readonly level: FindingLevel;
  /** What is wrong and what to change; begins with the rule ID. */
  readonly message: string;
  /** What is wrong, in this resource's terms (the message without the rule ID and the rule's fix). */
  readonly detail: string;
  /** Construct path of the offending CloudFormation resource (the L1). */
  readonly constructPath: string;
  /** Construct path of the stack that holds the resource. */
  readonly stackPath: string;
  /** The resource's logical ID in its template. */
  readonly logicalId: string;
  /** The CloudFormation resource type, for example `AWS::S3::Bucket`. */
  readonly resourceType: string;
  /** Where in the resource the problem is, for example `Properties.BucketEncryption`. */
  readonly location: string;
  /** Whether `Validations.of(scope).acknowledge(...)` covers this finding. */
  readonly acknowledged: boolean;
  /**
   * The reason given when the finding was acknowledged.
   *
   * @default - not acknowledged
   */
  readonly acknowledgementReason?: string;
  /**
   * The acknowledged ID as `Validations.acknowledge` recorded it, for example
   * `Annotation::CEG-S3-1` for a plain `CEG-S3-1`, or `EncryptionChecks::CEG-S3-1`.
   *
   * @default - not acknowledged
   */
  readonly acknowledgementId?: string;
}
