import { Stack } from 'aws-cdk-lib';

/** What one stack's template knows at synth time: pseudo parameters, conditions, parameters. */
export interface StackFacts {
  readonly stack: Stack;
  /** The value of a pseudo parameter (`AWS::Region`) when the stack's environment fixes it. */
  pseudo(name: string): string | undefined;
  /** The resolved expression of the condition with this logical ID, if the stack defines it. */
  conditionExpression(logicalId: string): unknown;
}
