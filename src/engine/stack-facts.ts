import { Stack } from 'aws-cdk-lib';

/** What one stack's template knows at synth time: pseudo parameters, conditions, parameters. */
export interface StackFacts {
  readonly stack: Stack;
  /** The value of a pseudo parameter (`AWS::Region`) when the stack's environment fixes it. */
  pseudo(name: string): string | undefined;
  /** The resolved expression of the condition with this logical ID, if the stack defines it. */
  conditionExpression(logicalId: string): unknown;
  /**
   * The value a `String` or `Number` parameter has whatever happens at deploy time: the literal a
   * parent stack passes to a nested stack, or the default of one it passes nothing for. `undefined`
   * when only the deployment tells.
   */
  parameterValue(logicalId: string): string | undefined;
  /** The literals a parameter may take (its `AllowedValues`), if it is a parameter with such a list. */
  allowedValues(logicalId: string): readonly string[] | undefined;
}
