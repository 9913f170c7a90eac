import { Stack } from 'aws-cdk-lib';
import { environmentOf } from './app-index';

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
