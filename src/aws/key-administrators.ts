/**
 * Who keeps a key manageable: some principal that an Allow lets call `kms:PutKeyPolicy` on some
 * request that no Deny refuses. The Allow and the Denies are asked about the same requests, tied
 * to the principal (its account and ARN), as IAM evaluates them.
 */
import { ABSENT, andAll, Choice, ContextValue, not, orAll, OWN_ACCOUNT, Picked, Tri } from './iam-conditions';
import { coversAction, isAllow, isDeny, Statement } from './iam-policy';
import { accountOf, denyCovers, principalsOf, sameAccount, samePrincipal, sameRoleOrUser } from './iam-principals';
import { neverOn } from './iam-request-keys';
import { holdsFor, Request, requestsFor } from './iam-requests';
import { fieldOf as field } from './json';
import { appliesToKey } from './key-resources';

const ACTION = 'kms:PutKeyPolicy';

/**
 * Whether someone can change the key policy (`kms:PutKeyPolicy`), hence manage the key. A Deny
 * naming an account's root covers every principal of that account; an Allow whose conditions no
 * request of its principal meets from now on allows nothing; a service principal never calls
 * `PutKeyPolicy`. An Allow with `NotPrincipal` allows the key's own account unless it leaves that
 * account out. `ownAccount` is the key's account when the stack names it (a literal account in a
 * policy may be it or not otherwise); `partition` the key's, when its Region is known.
 */
export function hasAdministrator(statements: Statement[], ownAccount?: string, partition?: string): Tri {
  const verdict = administratorIn(statements, ownAccount, partition);
  if (ownAccount !== undefined) {
    return verdict;
  }
  // In a stack without an account, a literal account of the policy may be the key's own (which the
  // policy spells `AWS::AccountId`): the verdict must hold whichever it is, or none of them.
  const literals = [...new Set(JSON.stringify(statements).match(/\d{12}/g) ?? [])];
  const agrees = (account: string) => administratorIn(statements.map(st => spelledAs(st, account) as Statement), account, partition) === verdict;
  return literals.every(agrees) ? verdict : undefined;
}

/** A value with `AWS::AccountId` replaced by one literal account. */
function spelledAs(value: unknown, account: string): unknown {
  if (Array.isArray(value)) {
    return value.map(v => spelledAs(v, account));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === 'Ref' && entries[0][1] === 'AWS::AccountId') {
    return account;
  }
  if (entries.length === 1 && entries[0][0] === 'Fn::Sub') {
    const sub = entries[0][1];
    const replace = (text: unknown) => typeof text === 'string' ? text.split('${AWS::AccountId}').join(account) : spelledAs(text, account);
    return { 'Fn::Sub': Array.isArray(sub) ? [replace(sub[0]), ...sub.slice(1).map(v => spelledAs(v, account))] : replace(sub) };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, spelledAs(v, account)]));
}

function administratorIn(statements: Statement[], ownAccount: string | undefined, partition: string | undefined): Tri {
  const denies = statements.filter(s => isDeny(s) && coversAction(s, ACTION) !== false && appliesToKey(s, partition) !== false);
  const allows = statements.filter(s => isAllow(s) && (field(s, 'Principal') !== undefined || field(s, 'NotPrincipal') !== undefined)
    && coversAction(s, ACTION) !== false && appliesToKey(s, partition) !== false);
  const context: Context = { denies, ownAccount, partition };
  const text = JSON.stringify(statements);
  return orAll(allows.map(allow => {
    const candidates = field(allow, 'NotPrincipal') !== undefined ? allButLeftOut(allow, text, ownAccount) : namedIn(allow);
    const keeps = candidates === undefined ? undefined
      : orAll(candidates.map(c => andAll([not(c.leftOut), keepsIt(allow, c, context)])));
    return andAll([coversAction(allow, ACTION), appliesToKey(allow, partition), keeps]);
  }));
}

interface Context {
  readonly denies: Statement[];
  readonly ownAccount?: string;
  /** The key's partition, when the stack's Region tells it. */
  readonly partition?: string;
}

/**
 * A principal an Allow may let in: an ARN, or an account's root standing for every principal of
 * the account. Under `NotPrincipal`, the principals it leaves out (`excluded`), whose ARNs, user
 * names and unique IDs a request of the candidate never has, and whether the candidate itself is
 * left out (`undefined` also when the policy's literal accounts may be the candidate's).
 */
interface Candidate {
  readonly principal: string;
  readonly excluded: readonly string[];
  readonly leftOut: Tri;
}

/** The principals an Allow's `Principal` names (not services, which never call `PutKeyPolicy`). */
function namedIn(allow: Statement): Candidate[] | undefined {
  return principalsOf(field(allow, 'Principal'))?.filter(p => !p.startsWith('service:')).map(principal => ({ principal, excluded: [], leftOut: false }));
}

/**
 * The key's own account under an Allow's `NotPrincipal`: every principal but those it lists. Only
 * the own account is tried (`PutKeyPolicy` is not a call another account can make). Listing the
 * account (its root or ID) leaves out all of it, as a policy simulator reads it; listing `*` does
 * too; a value known only at deploy time other than a resource's attribute may be the account.
 * Conditions compare account IDs as text, so the account is spelled as the policy spells it: as
 * `AWS::AccountId` or as the stack's literal account, and unknown when the policy spells it both
 * ways, or names literal accounts in a stack without one.
 */
function allButLeftOut(allow: Statement, text: string, ownAccount: string | undefined): Candidate[] | undefined {
  const excluded = principalsOf(field(allow, 'NotPrincipal'));
  const literals = new Set(text.match(/\d{12}/g) ?? []);
  const pseudo = text.includes('AWS::AccountId');
  if (excluded === undefined || (ownAccount !== undefined && pseudo && literals.has(ownAccount))) {
    return undefined;
  }
  const account = ownAccount === undefined || pseudo ? OWN_ACCOUNT : ownAccount;
  const leftOut = orAll(excluded.map(e => leavesOutAccount(e, account, ownAccount)));
  const sure = ownAccount !== undefined || literals.size === 0;
  return [{ principal: `arn:aws:iam::${account}:root`, excluded, leftOut: sure || leftOut === true ? leftOut : undefined }];
}

function leavesOutAccount(excluded: string, account: string, ownAccount: string | undefined): Tri {
  if (excluded === '*') {
    return true;
  }
  if (excluded.startsWith(UNKNOWN)) {
    return excluded.startsWith(`${UNKNOWN}{"Fn::GetAtt"`) ? false : undefined;
  }
  const root = /^arn:aws:iam::([^:]*):root$/.exec(excluded);
  return root === null ? false : sameAccount(root[1], account, ownAccount);
}

const UNKNOWN = 'unknown:';

/**
 * Whether some request of the candidate meets the Allow's conditions and no Deny's that covers
 * it. For a candidate that stands for every principal of an account, a Deny naming one of them
 * (a role or user ARN) covers the requests whose `aws:PrincipalArn` or `aws:username` is theirs.
 */
function keepsIt(allow: Statement, candidate: Candidate, context: Context): Tri {
  const everyone = candidate.principal.endsWith(':root');
  const covering = context.denies.map(deny => {
    const named = everyone ? principalsInAccount(deny, candidate.principal, context.ownAccount) : [];
    const fully = denyCovers(deny, candidate.principal);
    return { deny, fully, named, applies: andAll([coversAction(deny, ACTION), appliesToKey(deny, context.partition)]) };
  }).filter(d => d.applies !== false && (d.fully !== false || d.named.length > 0));
  const requests = requestsFor([field(allow, 'Condition'), ...covering.map(d => field(d.deny, 'Condition'))],
    key => identityOf(candidate, key, context.ownAccount));
  if (requests === undefined) {
    return undefined;
  }
  return orAll(requests.map(request => andAll([
    holdsFor(field(allow, 'Condition'), request),
    ...covering.map(d => {
      const covers = d.fully === false ? namesRequest(d.named, request, candidate.principal, context.ownAccount) : d.fully;
      return not(andAll([d.applies, covers, holdsFor(field(d.deny, 'Condition'), request)]));
    }),
  ])));
}

/** The role and user ARNs (or deploy-time values) a Deny's `Principal` names that may be principals of the root's account. */
function principalsInAccount(deny: Statement, root: string, ownAccount: string | undefined): string[] {
  const named = principalsOf(field(deny, 'Principal')) ?? [];
  return named.filter(p => p.startsWith(UNKNOWN)
    || (/^arn:aws:iam::[^:]*:(role|user)\//.test(p) && sameAccount(accountOf(p), accountOf(root), ownAccount) !== false));
}

/** Whether the request's `aws:PrincipalArn` or `aws:username` is that of one of the named principals (of the root's account). */
function namesRequest(named: readonly string[], request: Request, root: string, ownAccount: string | undefined): Tri {
  const arn = request.get('aws:principalarn')?.[0];
  const user = request.get('aws:username')?.[0];
  return orAll(named.map(n => {
    if (n.startsWith(UNKNOWN)) {
      // A role or user known at deploy time may be the one a request names, unless that one is fresh.
      return (arn !== undefined && !isFresh(arn.split('/').pop())) || (user !== undefined && !isFresh(user)) ? undefined : false;
    }
    const byArn = arn !== undefined && sameRoleOrUser(arn, n);
    const byName = user !== undefined && /:user\//.test(n) && n.split('/').pop() === user;
    return byArn || byName ? sameAccount(accountOf(n), accountOf(root), ownAccount) : false;
  }));
}

function isFresh(name: string | undefined): boolean {
  return name === FRESH_NAME || name === 'ceg-fresh-value';
}

/** A name no policy uses: a principal the account may create, whom no statement names. */
const FRESH_NAME = 'ceg-fresh-administrator';

function freshArn(account: string): string {
  return `arn:aws:iam::${account}:role/${FRESH_NAME}`;
}

/**
 * Keys that `PutKeyPolicy` requests never carry (grant, encryption context and algorithm keys):
 * always absent, never the caller's choice.
 */
const NEVER_ON_PUT_KEY_POLICY = new Set(['kms:grantisforawsresource', 'kms:grantoperations', 'kms:granteeprincipal', 'kms:retiringprincipal',
  'kms:grantconstrainttype', 'kms:encryptioncontextkeys', 'kms:replicaregion', 'kms:requestalias', 'kms:encryptionalgorithm',
  'kms:signingalgorithm', 'kms:datakeypairspec', 'kms:wrappingalgorithm', 'kms:messagetype', 'kms:macalgorithm']);

/**
 * What a request of the candidate carries for a condition key: its account and ARN (every
 * principal of the account for an account's root, but those a `NotPrincipal` leaves out), and no
 * key `PutKeyPolicy` lacks, nor one of another service; every other key is free (the time is the
 * request's, see `timeOfRequest`).
 */
function identityOf(candidate: Candidate, key: string, ownAccount: string | undefined): ContextValue | Choice | Picked | undefined {
  if (NEVER_ON_PUT_KEY_POLICY.has(key) || key.startsWith('kms:encryptioncontext:') || neverOn('kms', key)) {
    return ABSENT;
  }
  const principal = candidate.principal;
  const account = principal.startsWith('arn:') ? accountOf(principal) : undefined;
  const root = account !== undefined && principal.endsWith(':root');
  const present = (fallback: string, allowed: (v: string) => boolean = () => true) => new Picked(fallback, allowed);
  const notExcluded = (v: string) => !candidate.excluded.some(e => e.startsWith(UNKNOWN) || samePrincipal(e, v, ownAccount));
  const restricted = candidate.excluded.length > 0;
  switch (key) {
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      return account !== undefined ? [account] : present(OWN_ACCOUNT);
    case 'aws:principalarn':
      if (account === undefined) {
        return present(freshArn('111111111111'));
      }
      // A fresh name is nobody's a NotPrincipal lists; a name a condition spells may be.
      return root ? present(freshArn(account), v => accountOf(v) === account && (v === freshArn(account) || notExcluded(v))) : [principal];
    case 'aws:username':
      return restricted ? new Picked(FRESH_NAME, v => v === FRESH_NAME || notExcluded(`arn:aws:iam::${account}:user/${v}`), true) : undefined;
    case 'aws:userid':
      // A unique ID a condition spells may be that of a principal a NotPrincipal leaves out.
      return restricted ? present('AROAADMINISTRATOR:administrator', v => v === 'AROAADMINISTRATOR:administrator') : present('AROAADMINISTRATOR:administrator');
    default:
      return undefined;
  }
}
