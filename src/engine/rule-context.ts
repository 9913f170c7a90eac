import type { ResourceView } from './resource-view';
import type { Reading } from './values';

/** Settings a rule may read (already validated). */
export interface RuleSettings {
  /** SSE-S3 buckets are findings (also true when `requireCustomerManagedKeys` is). */
  readonly requireKmsForS3: boolean;
  /** Data encrypted with an AWS managed or AWS owned key is a finding (DynamoDB, EFS, S3). */
  readonly requireCustomerManagedKeys: boolean;
}

/** How to recognise the resource a property points at. */
export interface TargetSpec {
  /** The CloudFormation types it may be. */
  readonly types: readonly string[];
  /** A property that holds its physical name, for literal names (`LaunchTemplateName`). */
  readonly nameProperty?: string;
  /** For ARNs: the resource segment before the name (`db` in `arn:aws:rds:...:db:name`). */
  readonly arnResource?: string;
  /** Words for messages: "launch template", "source DB instance". */
  readonly noun: string;
}

/** A typed key for values a rule computes once per evaluation and resource view. */
export class MemoKey<T> {
  /** Only for the type checker: the type of the memoized value. */
  public readonly type?: T;
  constructor(public readonly name: string) {}
}

/**
 * What a rule may use besides the resource it judges. One context serves a whole evaluation, so
 * indexes and memoized values are shared by every rule and resource.
 */
export interface RuleContext {
  readonly settings: RuleSettings;
  /**
   * The resource that the property at `path` of `from` refers to, in `from`'s world: through a
   * CDK reference (any stack), a `Ref`/`Fn::GetAtt` of its template, an export of the app, an ARN
   * or name built around one of those, or a literal physical name in the same account and Region.
   */
  target(from: ResourceView, path: readonly string[], spec: TargetSpec): Reading<ResourceView>;
  /**
   * The value an `Fn::ImportValue` of `name` in `from` reads: an export of the app in its account
   * and Region, evaluated in `from`'s world; unknown when the deployment decides.
   */
  exported(from: ResourceView, name: string): Reading<unknown>;
  /**
   * The resources of `type`, anywhere in the app, whose property at `path` refers to `target` and
   * that exist in its world; unknown when a resource whose target is only known at deploy time
   * may be one of them.
   */
  referrers(target: ResourceView, type: string, path: readonly string[], spec: TargetSpec): Reading<ResourceView[]>;
  /**
   * The resources of `type` that exist in `view`'s world in the same account and Region as its
   * stack, both known at synth time (an environment-agnostic stack has none).
   */
  inSameEnvironment(view: ResourceView, type: string): ResourceView[];
  /**
   * Whether CloudFormation creates `later`'s resource only once `earlier`'s exists (a chain of
   * dependencies or references, through stack dependencies too); otherwise they may be created in
   * either order.
   */
  createdAfter(later: ResourceView, earlier: ResourceView): boolean;
  /** Whether this logical ID names a parameter of the view's stack. */
  isParameter(view: ResourceView, logicalId: string): boolean;
  /**
   * The declared type, the default (for a nested stack, what its parent gives it) and `NoEcho` of a
   * parameter of the view's stack, if it is one.
   */
  parameter(view: ResourceView, logicalId: string): ParameterFacts | undefined;
  /**
   * Computes a value once per evaluation for a (key, view) pair. A computation that needs itself
   * (resources that refer to each other in a loop) ends in an unresolvable finding naming the loop.
   */
  memo<T>(key: MemoKey<T>, view: ResourceView, compute: () => T): T;
}

/** What the rules know of a template parameter. */
export interface ParameterFacts {
  readonly type?: string;
  /** Its default; for a nested stack, what its parent gives it (`undefined`: only the deployment tells). */
  /**
   * Its default; for a nested stack, what its parent gives it, or the parameter of the parent it is
   * given (`undefined`: only the deployment tells). A dynamic reference (`{{resolve:ssm:...}}`)
   * stays as written.
   */
  readonly default?: unknown;
  readonly noEcho?: boolean;
}
