import { Stack, Token } from 'aws-cdk-lib';

/**
 * Whether stacks share an account and Region, as far as the app tells: a part left to the
 * deployment (an environment-agnostic stack's) may be any.
 */

/** Whether two stacks may be in the same account and Region (a part unknown at synth time may be). */
export function sameEnvironment(a: Stack, b: Stack): boolean {
  if (a === b) {
    return true;
  }
  const [x, y] = [environmentOf(a), environmentOf(b)];
  const compatible = (p?: string, q?: string) => p === undefined || q === undefined || p === q;
  return compatible(x.account, y.account) && compatible(x.region, y.region);
}

/**
 * Whether two stacks are surely in one account and Region: each part is the same literal in both,
 * or left to the deployment in both (as CDK assumes for stacks without an environment).
 */
export function surelySameEnvironment(a: Stack, b: Stack): boolean {
  if (a === b) {
    return true;
  }
  const [x, y] = [environmentOf(a), environmentOf(b)];
  return x.account === y.account && x.region === y.region;
}

/** Whether a stack may be in this account and Region. */
export function inEnvironment(stack: Stack, account: string | undefined, region: string | undefined): boolean {
  const env = environmentOf(stack);
  return (account === undefined || env.account === undefined || env.account === account)
    && (region === undefined || env.region === undefined || env.region === region);
}

/**
 * Whether a stack is surely in this account and Region; a part not given (`undefined`) is the one
 * `from` is in, and a part both stacks leave to the deployment is the same (as for
 * `surelySameEnvironment`).
 */
export function surelyInEnvironment(stack: Stack, account: string | undefined, region: string | undefined, from: Stack): boolean {
  const [env, here] = [environmentOf(stack), environmentOf(from)];
  return (account !== undefined ? env.account === account : env.account === here.account)
    && (region !== undefined ? env.region === region : env.region === here.region);
}

/** The account and Region of a stack, each `undefined` when only the deployment tells. */
export function environmentOf(stack: Stack): { account?: string; region?: string } {
  return {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
}

/**
 * Pseudo parameters with one value in every stack of one account and Region (not `AWS::StackName`,
 * `AWS::StackId` or `AWS::NotificationARNs`): shared by stacks surely in one environment.
 */
export const SHARED_PSEUDO_PARAMETERS: ReadonlySet<string> = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix']);
