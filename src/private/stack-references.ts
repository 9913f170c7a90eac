import { Reference, Stack, Tokenization } from 'aws-cdk-lib';

/** The top-level stack a stack is deployed with: itself, or the top of its nested-stack chain. */
export function topLevelStackOf(stack: Stack): Stack {
  let top = stack;
  while (top.nestedStackParent !== undefined) {
    top = top.nestedStackParent;
  }
  return top;
}

/** The references to resources of the app that a string value holds (tokens CDK resolves to `Ref` or `Fn::GetAtt`). */
export function referencesIn(value: string): Reference[] {
  return Tokenization.reverseString(value).tokens.filter((t): t is Reference => t instanceof Reference);
}
