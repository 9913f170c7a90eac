import { runSimulation } from '@cloud-copilot/iam-simulate';

/** The account of the keys the policy oracle decides on. */
export const OWN = '111111111111';

/**
 * What AWS decides (by `@cloud-copilot/iam-simulate`) on a `kms:Decrypt` call on a key of `OWN`
 * whose key policy is `statements`: by `principal` with the request `context`; with
 * `allowedByOwnAccount`, the caller's own identity policy allows everything (a role of another
 * account), so that only the key policy stands in the way (a service principal has none).
 */
export async function decryptDecision(statements: object[], keyArn: string, principal: string, context: Record<string, string>,
  allowedByOwnAccount: boolean): Promise<string | undefined> {
  const response = await runSimulation({
    request: { principal, action: 'kms:Decrypt', resource: { resource: keyArn, accountId: OWN }, contextVariables: context },
    identityPolicies: allowedByOwnAccount ? [{ name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: { Version: '2012-10-17', Statement: statements },
  } as never, {}) as { overallResult?: string };
  return response.overallResult;
}
