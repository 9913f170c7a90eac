import { Stack } from 'aws-cdk-lib';
import type { TargetSpec } from './references';
import type { ResourceView } from './resource-view';
import type { StackIndex } from './stack-index';

/** Settings a rule may read (already validated). */
export interface RuleSettings {
  readonly requireKmsForS3: boolean;
}

/**
 * What a rule may use besides the resource it judges. One context serves a whole evaluation, so
 * indexes and memoized verdicts are shared by every rule and resource.
 */
export interface RuleContext {
  readonly settings: RuleSettings;
  /** The index of a stack, built on first use. */
  indexOf(stack: Stack): StackIndex;
  /** The resource of one of `types` behind an export of this app (`Fn::ImportValue`), if any. */
  exportedResource(exportName: string, types: readonly string[]): ResourceView | undefined;
  /** Resources of `type` anywhere in the app whose `nameProperty` is literally `name`. */
  resourcesNamed(type: string, nameProperty: string, name: string): readonly ResourceView[];
  /**
   * The resources of `type` in `target`'s stack whose property at `path` refers to `target` (for
   * example the bucket policies of a bucket). The reverse index is built once per stack and path.
   */
  referrers(target: ResourceView, type: string, path: string[], spec: TargetSpec): readonly ResourceView[];
  /**
   * Why some resource of `type` in `stack` may refer to any of the stack's resources at `path` (its
   * value is a parameter, a condition, an import), or `undefined` when every one is known.
   */
  unknownReferrer(stack: Stack, type: string, path: string[], spec: TargetSpec): string | undefined;
  /**
   * A string that embeds CDK references, split into `Fn::Join` parts with `ResourceReference`s
   * (`splitReferences`), once per evaluation: the same ARN token appears in many places.
   */
  splitReferences(value: string): unknown;
  /** Computes a value once per evaluation for a (purpose, resource) pair. */
  memo<T>(purpose: string, view: ResourceView, compute: () => T): T;
}
