/**
 * Principals in resource policies: what a `Principal` or `NotPrincipal` names, and whether a Deny
 * applies to a principal (a Deny naming an account's root covers every principal of the account).
 */
import { arnPatternOf } from './arn-patterns';
import { OWN_ACCOUNT, Tri } from './iam-conditions';
import { asList, fieldOf as field, isJsonObject, JsonObject } from './json';

/** The account of an IAM or STS ARN (`arn:aws:iam::111111111111:role/x`), or `undefined`. */
export function accountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

/**
 * The principals a `Principal` or `NotPrincipal` value names, each as one string: `*` for
 * everyone, an account's root ARN for an account ID, `service:…` for a service; values built from
 * pseudo parameters keep them as placeholders, and every other value (a role's `Fn::GetAtt`) is
 * `unknown:` and its JSON, equal only to itself. `undefined` when the value is not a principal.
 */
export function principalsOf(value: unknown): string[] | undefined {
  if (value === '*') {
    return ['*'];
  }
  if (!isJsonObject(value)) {
    return undefined;
  }
  const out: string[] = [];
  for (const [kind, entries] of Object.entries(value)) {
    for (const entry of asList(entries)) {
      const text = arnPatternOf(entry, name => PRINCIPAL_PSEUDO[name]);
      if (text === undefined) {
        // A service known only at deploy time is still a service, never an account or everyone.
        out.push(`${kind.toLowerCase() === 'service' ? 'service:' : ''}${UNKNOWN}${JSON.stringify(entry)}`);
      } else {
        out.push(kind === 'AWS' ? canonicalAwsPrincipal(text) : `${kind.toLowerCase()}:${text}`);
      }
    }
  }
  return out;
}

const UNKNOWN = 'unknown:';
const PRINCIPAL_PSEUDO: { [name: string]: string } = { 'AWS::AccountId': OWN_ACCOUNT, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

function canonicalAwsPrincipal(text: string): string {
  if (text === '*') {
    return '*';
  }
  if (/^\d{12}$/.test(text) || text === OWN_ACCOUNT) {
    return `arn:aws:iam::${text}:root`;
  }
  return text.replace(/^arn:[^:]*:/, 'arn:aws:');
}

/** Whether a Deny statement applies to requests of `principal` (one string of `principalsOf`). */
export function denyCovers(deny: JsonObject, principal: string): Tri {
  const notPrincipal = field(deny, 'NotPrincipal');
  if (notPrincipal !== undefined) {
    const excluded = principalsOf(notPrincipal);
    if (excluded === undefined) {
      return undefined;
    }
    // Listed principals escape the Deny; a role's requests are its sessions', which escape only
    // when a session ARN of the role is listed too.
    const role = /^arn:aws:iam::([^:]*):role\/(?:.*\/)?([^/]+)$/.exec(principal);
    if (role !== null) {
      return !excluded.some(e => e.startsWith(`arn:aws:sts::${role[1]}:assumed-role/${role[2]}/`));
    }
    return !excluded.includes(principal);
  }
  const covered = principalsOf(field(deny, 'Principal'));
  if (covered === undefined) {
    return undefined;
  }
  if (covered.includes('*') || covered.includes(principal)) {
    return true;
  }
  const roots = covered.filter(c => /^arn:aws:iam::[^:]*:root$/.test(c)).map(accountOf);
  if (roots.length === 0 || principal === '*' || !(principal.startsWith('arn:') || principal.startsWith(UNKNOWN))) {
    return false;
  }
  const account = accountOf(principal);
  if (account !== undefined && roots.includes(account)) {
    return true;
  }
  // The stack's own account (`AWS::AccountId`) on one side, a literal one on the other: they may be the same.
  const ownAndLiteral = account === undefined || (account === OWN_ACCOUNT ? roots.some(r => r !== OWN_ACCOUNT) : roots.includes(OWN_ACCOUNT));
  return ownAndLiteral ? undefined : false;
}

/** Whether two accounts are one: the stack's own (`OWN_ACCOUNT`) is the literal `ownAccount` when the stack names it. */
export function sameAccount(a: string | undefined, b: string | undefined, ownAccount: string | undefined): Tri {
  const known = (x: string | undefined) => x === OWN_ACCOUNT && ownAccount !== undefined ? ownAccount : x;
  if (a === undefined || b === undefined) {
    return undefined;
  }
  if (known(a) === known(b)) {
    return true;
  }
  return (known(a) === OWN_ACCOUNT || known(b) === OWN_ACCOUNT) && (a === OWN_ACCOUNT) !== (b === OWN_ACCOUNT) ? undefined : false;
}

/** Whether two IAM ARNs name the same role or user: names are unique in an account, whatever the path. */
export function sameRoleOrUser(a: string, b: string): boolean {
  const name = (x: string) => x.split(':').slice(5).join(':').replace(/^(role|user)\/(?:.*\/)?/, '$1/');
  return name(a) === name(b);
}

/**
 * Whether a principal a `NotPrincipal` lists may be the one of an ARN: the same role or user (a
 * session listed stands for its role too, to be safe) in an account that may be the same; an
 * account's root, every principal of that account.
 */
export function samePrincipal(listed: string, arn: string, ownAccount: string | undefined): boolean {
  if (listed === '*') {
    return true;
  }
  const session = /^arn:aws:sts::([^:]*):assumed-role\/([^/]+)\/.*$/.exec(listed);
  const asRole = session === null ? listed : `arn:aws:iam::${session[1]}:role/${session[2]}`;
  const sameOne = /:root$/.test(asRole) || sameRoleOrUser(asRole, arn);
  return sameOne && sameAccount(accountOf(asRole), accountOf(arn), ownAccount) !== false;
}
