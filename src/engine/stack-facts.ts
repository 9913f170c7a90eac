import { Stack } from 'aws-cdk-lib';

/** What one stack's template knows at synth time: pseudo parameters, conditions, parameters. */
export interface StackFacts {
  readonly stack: Stack;
  /** The value of a pseudo parameter (`AWS::Region`) when the stack's environment fixes it. */
  pseudo(name: string): string | undefined;
  /** The resolved expression of the condition with this logical ID, if the stack defines it. */
  conditionExpression(logicalId: string): unknown;
  /**
   * For a nested stack, the literal one of its parameters is given, whatever its type: what the parent
   * passes, or its default when the parent passes nothing; `null` when only the deployment tells.
   * `undefined` for a stack that is not nested: its parameters are given at deploy time.
   */
  given(logicalId: string): string | null | undefined;
  /**
   * The value a `String` or `Number` parameter (not `NoEcho`) has whatever happens at deploy time:
   * the literal it is `given`, or the only value its `AllowedValues` list. `undefined` when only the
   * deployment tells.
   */
  parameterValue(logicalId: string): string | undefined;
  /** The literals a `String` or `Number` parameter may take (its `AllowedValues`), if it lists them. */
  allowedValues(logicalId: string): readonly string[] | undefined;
  /**
   * The output of the app an `Fn::ImportValue` of `name` in this stack surely reads (the only export
   * of that name in a stack surely in its account and Region); `undefined` when only the deployment
   * tells (an export of another app, or one of several, or of a stack that may be elsewhere).
   */
  exportRead?(name: string): ExportRead | undefined;
  /**
   * What the stack's mapping `name` holds at `key1`, `key2` (`found: false` when it has no such
   * entry); `undefined` when the stack has no such mapping.
   */
  mapped?(name: string, key1: string, key2: string): MappedValue | undefined;
}

/** An entry of a mapping: CloudFormation takes no intrinsic there, so it is a literal. */
export interface MappedValue {
  readonly found: boolean;
  readonly value?: unknown;
}

/** An output an import reads: the facts of the stack that exports it, and its value as rendered there. */
export interface ExportRead {
  readonly facts: StackFacts;
  readonly value: unknown;
  /** The logical ID of the output's own `Condition`, if any: where it is false, there is no export. */
  readonly condition?: string;
}
