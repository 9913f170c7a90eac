/**
 * Who keeps a key manageable: some principal that an Allow lets call `kms:PutKeyPolicy` on some
 * request that no Deny refuses. The Allow and the Denies are asked about the same requests, tied
 * to the principal (its account and ARN), as IAM evaluates them.
 */
import { ABSENT, andAll, Choice, ContextValue, not, orAll, OWN_ACCOUNT, Picked, Tri } from './iam-conditions';
import { coversAction, isAllow, isDeny, Statement } from './iam-policy';
import { accountOf, denyCovers, principalsOf } from './iam-principals';
import { holdsFor, requestsFor } from './iam-requests';
import { fieldOf as field } from './json';
import { appliesToKey } from './key-resources';

const ACTION = 'kms:PutKeyPolicy';

/**
 * Whether someone can change the key policy (`kms:PutKeyPolicy`), hence manage the key. A Deny
 * naming an account's root covers every principal of that account; an Allow whose conditions no
 * request of its principal meets from now on allows nothing; a service principal never calls
 * `PutKeyPolicy`.
 */
export function hasAdministrator(statements: Statement[]): Tri {
  const denies = statements.filter(s => isDeny(s) && coversAction(s, ACTION) !== false && appliesToKey(s) !== false);
  const allows = statements.filter(s => isAllow(s) && field(s, 'Principal') !== undefined && coversAction(s, ACTION) !== false && appliesToKey(s) !== false);
  return orAll(allows.map(allow => {
    const principals = principalsOf(field(allow, 'Principal'));
    const keeps = principals === undefined ? undefined
      : orAll(principals.filter(p => !p.startsWith('service:')).map(principal => keepsIt(allow, principal, denies)));
    return andAll([coversAction(allow, ACTION), appliesToKey(allow), keeps]);
  }));
}

/** Whether some request of `principal` meets the Allow's conditions and no Deny's that covers it. */
function keepsIt(allow: Statement, principal: string, denies: Statement[]): Tri {
  const covering = denies.map(deny => ({ deny, applies: andAll([denyCovers(deny, principal), coversAction(deny, ACTION), appliesToKey(deny)]) }))
    .filter(d => d.applies !== false);
  const requests = requestsFor([field(allow, 'Condition'), ...covering.map(d => field(d.deny, 'Condition'))], key => identityOf(principal, key));
  if (requests === undefined) {
    return undefined;
  }
  return orAll(requests.map(request => andAll([
    holdsFor(field(allow, 'Condition'), request),
    ...covering.map(d => not(andAll([d.applies, holdsFor(field(d.deny, 'Condition'), request)]))),
  ])));
}

/**
 * Keys that `PutKeyPolicy` requests never carry (grant, encryption context and algorithm keys):
 * always absent, never the caller's choice.
 */
const NEVER_ON_PUT_KEY_POLICY = new Set(['kms:grantisforawsresource', 'kms:grantoperations', 'kms:granteeprincipal', 'kms:retiringprincipal',
  'kms:grantconstrainttype', 'kms:encryptioncontextkeys', 'kms:replicaregion', 'kms:requestalias', 'kms:encryptionalgorithm',
  'kms:signingalgorithm', 'kms:datakeypairspec', 'kms:wrappingalgorithm', 'kms:messagetype', 'kms:macalgorithm']);

/**
 * What a request of `principal` carries for a condition key: its account and ARN (every principal of
 * the account for an account's root), and no key `PutKeyPolicy` lacks; every other key is free
 * (the time is the request's, see `timeOfRequest`).
 */
function identityOf(principal: string, key: string): ContextValue | Choice | Picked | undefined {
  if (NEVER_ON_PUT_KEY_POLICY.has(key) || key.startsWith('kms:encryptioncontext:')) {
    return ABSENT;
  }
  const account = principal.startsWith('arn:') ? accountOf(principal) : undefined;
  const root = account !== undefined && principal.endsWith(':root');
  const present = (fallback: string, allowed: (v: string) => boolean = () => true) => new Picked(fallback, allowed);
  switch (key) {
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      return account !== undefined ? [account] : present(OWN_ACCOUNT);
    case 'aws:principalarn':
      if (account === undefined) {
        return present('arn:aws:iam::111111111111:role/administrator');
      }
      return root ? present(`arn:aws:iam::${account}:role/administrator`, v => accountOf(v) === account) : [principal];
    case 'aws:userid':
      return present('AROAADMINISTRATOR:administrator');
    default:
      return undefined;
  }
}
