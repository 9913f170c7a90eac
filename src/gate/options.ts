import { FindingLevel, RuleService } from './levels';

/**
 * Options shared by both front ends of the gate (`EnforceEncryption` and `EncryptionChecks`).
 */
export interface EncryptionGateOptions {
  /**
   * Run only these rules (by ID, for example `CEG-S3-1`). Combined with `services`, a rule runs
   * when it is listed here or belongs to a listed service. Unknown IDs are refused.
   *
   * @default - every rule (unless `services` is given)
   */
  readonly ruleIds?: string[];

  /**
   * Run only the rules of these services. Combined with `ruleIds`, a rule runs when it is listed
   * there or belongs to a service listed here.
   *
   * @default - every service (unless `ruleIds` is given)
   */
  readonly services?: RuleService[];

  /**
   * Never run these rules, even when `ruleIds` or `services` select them. Unknown IDs are refused.
   *
   * @default - no rule is excluded
   */
  readonly excludeRuleIds?: string[];

  /**
   * Level of the non-compliant findings of a rule, by rule ID, instead of the rule's default level.
   * Unknown IDs are refused.
   *
   * @default - each rule's default level (see the rule table)
   */
  readonly levels?: { [ruleId: string]: FindingLevel };

  /**
   * Level of "unresolvable" findings: a value the gate cannot know at synth time (a parameter, a
   * condition, an import, a related resource outside the app). Such a value is never a pass. The
   * finding is never at a stricter level than its rule's (a warning rule's is a warning at most):
   * not knowing a value does not fail what knowing it would only warn about.
   *
   * @default FindingLevel.ERROR
   */
  readonly unresolvableLevel?: FindingLevel;

  /**
   * Require SSE-KMS (or DSSE-KMS) on every S3 bucket: buckets that declare only SSE-S3 (AES256)
   * become non-compliant with `CEG-S3-1`.
   *
   * @default false
   */
  readonly requireKmsForS3?: boolean;

  /**
   * Require a customer managed KMS key wherever a service encrypts with KMS: a DynamoDB table or
   * global table (and each of its replicas) with `KMSMasterKeyId` (`CEG-DDB-1`), an EFS file system
   * with `KmsKeyId` (`CEG-EFS-1`), and an S3 bucket with SSE-KMS or DSSE-KMS and `KMSMasterKeyID`
   * (`CEG-S3-1`; this implies `requireKmsForS3`). The AWS managed keys (`aws/dynamodb`,
   * `aws/elasticfilesystem`, `aws/s3`) and AWS owned keys are findings: their policies cannot be
   * changed, so use of the data cannot be limited, shared or cut off by key policy. Secrets Manager
   * secrets need a customer managed key whatever this option says (`CEG-SM-1`).
   *
   * @default false
   */
  readonly requireCustomerManagedKeys?: boolean;
}
