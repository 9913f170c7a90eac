import { arnPatternOf, opaqueValue } from './arn-patterns';
import { isJsonObject } from './json';

/**
 * IAM condition blocks evaluated by IAM's rules, over *sets* of requests: the gate asks "does this
 * Deny hold for every request without TLS, whatever else it carries?" and "could a stranger
 * satisfy this Allow?". Some keys are fixed by the question (absent, or given values); every
 * other key is free: it may be absent or take any value. Conditions on different keys are ANDed,
 * values of one key are ORed; `...IfExists` holds when the key is absent; a negated operator holds
 * when the key is absent; `Null` tests absence. A free key is checked against a finite set of
 * representative values (absent, a fresh value, every literal named and its neighbours), which is
 * exact for the operators below.
 *
 * Answers are three-valued: `undefined` when a value in the block is not a literal, or an operator
 * is one this module does not know.
 */
export type Tri = boolean | undefined;

/** The value of a key in the request: its values, or `ABSENT`. */
export const ABSENT = Symbol('absent');
export type ContextValue = readonly string[] | typeof ABSENT;

/** A key that may take any of several values (absent among them): the caller chooses. */
export class Choice {
  constructor(public readonly values: readonly ContextValue[]) {}
}

/**
 * A key always present, whose value the caller picks, but only among values `allowed` accepts (a
 * stranger picks every account but the key's own or one the policy names); `fallback` is a
 * candidate when `allowed` accepts it. `allowed` sees the literal values the condition block names for the key.
 */
export class Picked {
  constructor(
    public readonly fallback: string,
    public readonly allowed: (value: string, named: readonly string[]) => boolean,
    /** Whether the caller may also leave the key out. */
    public readonly absentToo = false) {}
}

/** The values worth trying for a picked key: its fallback and the representatives it allows, and absence if it may be left out. */
export function pickedValues(given: Picked, constraints: readonly Constraint[]): ContextValue[] {
  const named = constraints.flatMap(c => c.values);
  const values: ContextValue[] = [given.fallback, ...representatives(constraints).filter((v): v is string[] => v !== ABSENT).map(v => v[0])]
    .filter(v => given.allowed(v, named)).map(v => [v]);
  return given.absentToo ? [...values, ABSENT] : values;
}

/** Keys fixed by a question, lower case (a map, or a lookup that also knows keys a request never carries). */
export interface FixedContext {
  get(key: string): ContextValue | Choice | Picked | undefined;
}

/**
 * The account, Region and partition of the stack a policy is deployed in, where the policy names
 * them with `AWS::AccountId` and the like: one value each, known at deploy time, the same for
 * every statement of the policy (so `kms:CallerAccount` equal to `AWS::AccountId` means "this
 * account", which another account never is).
 */
export const OWN_ACCOUNT = opaqueValue(16);
const PSEUDO_VALUES: { [name: string]: string } = {
  'AWS::AccountId': OWN_ACCOUNT,
  'AWS::Region': opaqueValue(17),
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A condition value as text: a literal, or one built from pseudo parameters (`undefined` otherwise). */
function conditionValue(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return arnPatternOf(value, name => PSEUDO_VALUES[name]);
}

export interface Constraint {
  readonly operator: string;
  readonly ifExists: boolean;
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  readonly values: readonly string[];
}

/** Parses a `Condition` block into constraints by (lower case) key; `undefined` if not literal. */
export function parse(block: unknown): Map<string, Constraint[]> | undefined {
  const byKey = new Map<string, Constraint[]>();
  if (block === undefined) {
    return byKey;
  }
  if (!isJsonObject(block)) {
    return undefined;
  }
  for (const [rawOperator, keys] of Object.entries(block)) {
    if (!isJsonObject(keys)) {
      return undefined;
    }
    let operator = rawOperator;
    let set: Constraint['set'];
    const qualifier = /^(ForAllValues|ForAnyValue):(.*)$/.exec(operator);
    if (qualifier) {
      set = qualifier[1] as Constraint['set'];
      operator = qualifier[2];
    }
    const ifExists = operator.endsWith('IfExists');
    if (ifExists) {
      operator = operator.slice(0, -'IfExists'.length);
    }
    for (const [key, raw] of Object.entries(keys)) {
      const list = (Array.isArray(raw) ? raw : [raw]).map(conditionValue);
      if (!list.every((v): v is string => v !== undefined)) {
        return undefined;
      }
      const constraints = byKey.get(key.toLowerCase()) ?? [];
      constraints.push({ operator, ifExists, set, values: list });
      byKey.set(key.toLowerCase(), constraints);
    }
  }
  return byKey;
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress']);

/** One constraint on one value of the key (or its absence). */
function holds(c: Constraint, value: string | typeof ABSENT): Tri {
  if (c.operator === 'Null') {
    const wantsAbsent = c.values.some(v => v.toLowerCase() === 'true');
    const wantsPresent = c.values.some(v => v.toLowerCase() === 'false');
    return value === ABSENT ? wantsAbsent : wantsPresent;
  }
  if (value === ABSENT) {
    return c.ifExists || NEGATED.has(c.operator);
  }
  const matches = (test: (v: string) => Tri): Tri => orAll(c.values.map(test));
  switch (c.operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return matches(v => v === value);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return not(matches(v => v === value));
    case 'StringEqualsIgnoreCase':
      return matches(v => v.toLowerCase() === value.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return not(matches(v => v.toLowerCase() === value.toLowerCase()));
    case 'StringLike':
    case 'ArnLike':
      return matches(v => wildcard(v).test(value));
    case 'StringNotLike':
    case 'ArnNotLike':
      return not(matches(v => wildcard(v).test(value)));
    case 'Bool':
      return matches(v => v.toLowerCase() === value.toLowerCase());
    case 'NumericEquals': return numeric(c, value, (a, b) => a === b);
    case 'NumericNotEquals': return not(numeric(c, value, (a, b) => a === b));
    case 'NumericLessThan': return numeric(c, value, (a, b) => a < b);
    case 'NumericLessThanEquals': return numeric(c, value, (a, b) => a <= b);
    case 'NumericGreaterThan': return numeric(c, value, (a, b) => a > b);
    case 'NumericGreaterThanEquals': return numeric(c, value, (a, b) => a >= b);
    case 'DateEquals': return date(c, value, (a, b) => a === b);
    case 'DateNotEquals': return not(date(c, value, (a, b) => a === b));
    case 'DateLessThan': return date(c, value, (a, b) => a < b);
    case 'DateLessThanEquals': return date(c, value, (a, b) => a <= b);
    case 'DateGreaterThan': return date(c, value, (a, b) => a > b);
    case 'DateGreaterThanEquals': return date(c, value, (a, b) => a >= b);
    default:
      return undefined;
  }
}

function numeric(c: Constraint, value: string, compare: (a: number, b: number) => boolean): Tri {
  const a = Number(value);
  return Number.isNaN(a) ? false : orAll(c.values.map(v => Number.isNaN(Number(v)) ? undefined : compare(a, Number(v))));
}

function date(c: Constraint, value: string, compare: (a: number, b: number) => boolean): Tri {
  const a = Date.parse(value);
  return Number.isNaN(a) ? false : orAll(c.values.map(v => Number.isNaN(Date.parse(v)) ? undefined : compare(a, Date.parse(v))));
}

const WILDCARDS = new Map<string, RegExp>();

/** An IAM pattern (`*` any run, `?` one character) as a case-sensitive regular expression. */
export function wildcard(pattern: string): RegExp {
  let regex = WILDCARDS.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    WILDCARDS.set(pattern, regex);
  }
  return regex;
}

/** All constraints of one key, for one request value of the key. */
export function keyHolds(constraints: readonly Constraint[], value: ContextValue): Tri {
  return andAll(constraints.map(c => {
    if (value === ABSENT) {
      return c.set === 'ForAllValues' ? true : c.set === 'ForAnyValue' ? c.ifExists : holds(c, ABSENT);
    }
    const results = value.map(v => holds(c, v));
    if (c.set === 'ForAllValues') {
      return andAll(results);
    }
    // A single-valued key has one value; ForAnyValue: one of them matches.
    return orAll(results);
  }));
}

/** Values worth trying for a free key: absent, fresh, and around each literal. */
export function representatives(constraints: readonly Constraint[]): ContextValue[] {
  const values = new Set<string>(['ceg-fresh-value', 'true', 'false']);
  for (const c of constraints) {
    for (const v of c.values) {
      values.add(v);
      values.add(v.replace(/[*?]/g, ''));
      values.add(v.replace(/[*?]/g, 'x'));
      values.add(v.toUpperCase());
      const n = Number(v);
      if (!Number.isNaN(n)) {
        values.add(String(n - 0.5));
        values.add(String(n + 0.5));
      }
      const d = Date.parse(v);
      if (!Number.isNaN(d) && Number.isNaN(n)) {
        values.add(new Date(d - 1000).toISOString());
        values.add(new Date(d + 1000).toISOString());
      }
    }
  }
  return [ABSENT, ...[...values].map(v => [v])];
}

/**
 * Whether the condition block holds for every request (`every`) or for some request (`some`)
 * whose fixed keys are as given and whose other keys are anything.
 */
export function conditionsHold(block: unknown, fixed: FixedContext, mode: 'every' | 'some'): Tri {
  const byKey = parse(block);
  if (byKey === undefined) {
    return undefined;
  }
  const results: Tri[] = [];
  for (const [key, constraints] of byKey) {
    const given = fixed.get(key) ?? timeOfRequest(key);
    if (given instanceof Picked) {
      const tries = pickedValues(given, constraints).map(v => keyHolds(constraints, v));
      results.push(mode === 'every' ? andAll(tries) : orAll(tries));
      continue;
    }
    if (given instanceof Choice) {
      const tries = given.values.map(v => keyHolds(constraints, v));
      results.push(mode === 'every' ? andAll(tries) : orAll(tries));
      continue;
    }
    if (given !== undefined) {
      results.push(keyHolds(constraints, given));
      continue;
    }
    const tries = representatives(constraints).map(v => keyHolds(constraints, v));
    results.push(mode === 'every' ? andAll(tries) : orAll(tries));
  }
  return andAll(results);
}

/**
 * The time of a request the policy will see: now or later, never before it is deployed (a Deny
 * from 2020 on holds for every request; an Allow that ended in 2020 for none).
 */
export function timeOfRequest(key: string): Choice | undefined {
  if (key === 'aws:currenttime') {
    return new Choice([[new Date().toISOString()], ['9999-12-31T23:59:59Z']]);
  }
  return key === 'aws:epochtime' ? new Choice([[String(Math.floor(Date.now() / 1000))], ['253402300799']]) : undefined;
}

export function andAll(values: readonly Tri[]): Tri {
  if (values.includes(false)) {
    return false;
  }
  return values.includes(undefined) ? undefined : true;
}

export function orAll(values: readonly Tri[]): Tri {
  if (values.includes(true)) {
    return true;
  }
  return values.includes(undefined) ? undefined : false;
}

export function not(value: Tri): Tri {
  return value === undefined ? undefined : !value;
}

/**
 * A fixed context from plain entries: `undefined` means the key is absent; a `Choice` that the
 * caller picks one of its values.
 */
export function fixedContext(entries: { [key: string]: string | string[] | undefined | Choice | Picked }): FixedContext {
  const valueOf = (v: string | string[] | undefined | Choice | Picked): ContextValue | Choice | Picked =>
    v instanceof Choice || v instanceof Picked ? v : v === undefined ? ABSENT : Array.isArray(v) ? v : [v];
  return new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), valueOf(v)]));
}

/** A key the caller may leave out or set to `value`. */
export function absentOr(value: string): Choice {
  return new Choice([ABSENT, [value]]);
}
