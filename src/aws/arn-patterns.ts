import { intrinsicName, isJsonObject, JsonObject } from './json';

/**
 * IAM `Resource` patterns (`*` a run of characters, `?` one character, case-sensitive) asked
 * about *sets* of ARNs rather than one sample ARN: "does `arn/*` cover every object of this
 * bucket?" must hold for `report.csv` as well as for `a/b`, which one sample cannot tell.
 *
 * A set of ARNs is a list of parts: literal text, in which a character from `opaqueValue` stands
 * for one value known only at deploy time (a generated bucket name, `AWS::Region`); and
 * `ANY_RUN`, a run of one or more characters of every kind (an object key).
 *
 * An opaque value is one unknown string of at least two characters, the same wherever its
 * character appears: the same character in a pattern (the pattern refers to the same value)
 * matches it, `*` may take it in, but `?` (one character) never can, nor can a literal.
 */

/** A three-valued answer: `undefined` when it cannot be told (as in iam-conditions). */
type Tri = boolean | undefined;

/** A run of one or more characters of every kind: each such run is asked about. */
export const ANY_RUN = Symbol('a run of characters');
export type ArnSetPart = string | typeof ANY_RUN;

/** The character that stands for the `n`th opaque value (Unicode private use, never in an ARN). */
export function opaqueValue(n: number): string {
  return String.fromCharCode(OPAQUE_FIRST + n);
}

const OPAQUE_FIRST = 0xe000;
const OPAQUE_LAST = 0xe0ff;
/** A character of an `ANY_RUN` that no pattern names: only `*` and `?` match it. */
const FRESH = '\uffff';

function isOpaque(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= OPAQUE_FIRST && code <= OPAQUE_LAST;
}

/**
 * The states of the patterns' automata, all patterns at once: `[pattern, position]` packed in
 * one number. A position at a `*` stays there while it takes characters.
 */
class Automata {
  private readonly stride: number;

  constructor(private readonly patterns: readonly string[]) {
    this.stride = Math.max(1, ...patterns.map(p => p.length + 1));
  }

  public start(): number[] {
    return this.closure(this.patterns.map((_p, i) => i * this.stride));
  }

  public accepts(states: readonly number[]): boolean {
    return states.some(s => this.position(s) === this.patterns[this.pattern(s)].length);
  }

  /** The states after one character (`FRESH` for a character no pattern names). */
  public step(states: readonly number[], c: string): number[] {
    const next: number[] = [];
    for (const s of states) {
      const pattern = this.patterns[this.pattern(s)];
      const at = pattern[this.position(s)];
      if (at === undefined) {
        continue;
      }
      if (at === '*') {
        next.push(s);
      } else if ((at === '?' && !isOpaque(c)) || at === c) {
        next.push(s + 1);
      }
    }
    return this.closure(next);
  }

  /** The states after a literal text. */
  public read(states: readonly number[], text: string): number[] {
    let now = [...states];
    for (const c of text) {
      now = this.step(now, c);
    }
    return now;
  }

  /** Every character class worth trying inside an `ANY_RUN`: each literal the patterns name, and one they do not. */
  public alphabet(): string[] {
    const chars = new Set<string>([FRESH]);
    for (const p of this.patterns) {
      for (const c of p) {
        if (c !== '*' && c !== '?' && !isOpaque(c)) {
          chars.add(c);
        }
      }
    }
    return [...chars];
  }

  private closure(states: readonly number[]): number[] {
    const out = new Set<number>();
    for (let s of states) {
      out.add(s);
      while (this.patterns[this.pattern(s)][this.position(s)] === '*') {
        s += 1;
        out.add(s);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  private pattern(s: number): number {
    return Math.floor(s / this.stride);
  }

  private position(s: number): number {
    return s % this.stride;
  }
}

/** How many distinct state sets one question may visit before the answer is left open. */
const BUDGET = 20_000;

/**
 * Whether every ARN of the set matches one of the patterns at least (their union covers it);
 * `undefined` if the question is too large to settle.
 */
export function coverEvery(patterns: readonly string[], set: readonly ArnSetPart[]): Tri {
  if (patterns.length === 0) {
    return false;
  }
  const automata = new Automata(patterns);
  let budget = BUDGET;
  const covers = (states: number[], k: number): Tri => {
    if (--budget < 0) {
      return undefined;
    }
    if (k === set.length) {
      return automata.accepts(states);
    }
    const part = set[k];
    if (part !== ANY_RUN) {
      const now = automata.read(states, part);
      return now.length === 0 ? false : covers(now, k + 1);
    }
    // A run of FRESH characters is matched only by `*` and `?`, which match every character: a
    // run of that length is covered iff every run of that length is. The state sets of longer
    // and longer runs repeat after a while: each distinct one is asked once.
    const seen = new Set<string>();
    let now = automata.step(states, FRESH);
    while (!seen.has(now.join())) {
      seen.add(now.join());
      const rest = now.length === 0 ? false : covers(now, k + 1);
      if (rest !== true) {
        return rest;
      }
      now = automata.step(now, FRESH);
    }
    return true;
  };
  return covers(automata.start(), 0);
}

/**
 * Whether some ARN of the set matches one of the patterns: `true` when one does whatever the
 * opaque values are, `undefined` when that depends on them, `false` when none can.
 */
export function matchSome(patterns: readonly string[], set: readonly ArnSetPart[]): Tri {
  if (patterns.length === 0) {
    return false;
  }
  if (matchesSome(patterns, set)) {
    return true;
  }
  // An opaque value may be whatever string: with each one as a run of anything, can a pattern match?
  const open = set.flatMap((part): ArnSetPart[] => part === ANY_RUN ? [part] : splitOpaque(part));
  return open.length !== set.length || open.some((p, i) => p !== set[i]) ? (matchesSome(patterns, open) ? undefined : false) : false;
}

function matchesSome(patterns: readonly string[], set: readonly ArnSetPart[]): boolean {
  const automata = new Automata(patterns);
  const alphabet = automata.alphabet();
  let budget = BUDGET;
  const visited = new Set<string>();
  const search = (states: number[], k: number): boolean => {
    const key = `${k}|${states.join()}`;
    if (states.length === 0 || visited.has(key) || --budget < 0) {
      return false;
    }
    visited.add(key);
    if (k === set.length) {
      return automata.accepts(states);
    }
    const part = set[k];
    if (part !== ANY_RUN) {
      return search(automata.read(states, part), k + 1);
    }
    // One or more characters of every kind: each state set such a run can reach.
    const reached = new Map<string, number[]>();
    let frontier = alphabet.map(c => automata.step(states, c));
    while (frontier.length > 0) {
      const next: number[][] = [];
      for (const now of frontier) {
        const id = now.join();
        if (now.length > 0 && !reached.has(id) && reached.size < BUDGET) {
          reached.set(id, now);
          next.push(...alphabet.map(c => automata.step(now, c)));
        }
      }
      frontier = next;
    }
    return [...reached.values()].some(now => search(now, k + 1));
  };
  return search(automata.start(), 0);
}

/** Literal text with each opaque value as a run of anything. */
function splitOpaque(text: string): ArnSetPart[] {
  const parts: ArnSetPart[] = [];
  let literal = '';
  for (const c of text) {
    if (isOpaque(c)) {
      if (literal !== '') {
        parts.push(literal);
      }
      parts.push(ANY_RUN);
      literal = '';
    } else {
      literal += c;
    }
  }
  if (literal !== '') {
    parts.push(literal);
  }
  return parts;
}

/**
 * A `Resource` entry as a pattern: a literal string, or `Fn::Join` / `Fn::Sub` of literals and
 * `Ref`s that `refs` names (pseudo parameters, mostly; a `Fn::Sub` variable is a name too);
 * `other` tells what every other entry stands for (a reference to a resource). `undefined` when a
 * part is known only at deploy time.
 */
export function arnPatternOf(entry: unknown, refs: (name: string) => string | undefined,
  other: (entry: unknown) => string | undefined = () => undefined): string | undefined {
  if (typeof entry === 'string') {
    return entry;
  }
  const fn = intrinsicName(entry);
  const args = fn === undefined ? undefined : (entry as JsonObject)[fn];
  if (fn === 'Ref') {
    return typeof args === 'string' ? refs(args) : undefined;
  }
  if (fn === 'Fn::Join') {
    const [delimiter, parts] = Array.isArray(args) ? args : [];
    if (typeof delimiter !== 'string' || !Array.isArray(parts)) {
      return undefined;
    }
    const patterns = parts.map(p => arnPatternOf(p, refs, other));
    return patterns.every(p => p !== undefined) ? patterns.join(delimiter) : undefined;
  }
  if (fn === 'Fn::Sub') {
    const template = Array.isArray(args) ? args[0] : args;
    const variables = Array.isArray(args) && isJsonObject(args[1]) ? args[1] : {};
    if (typeof template !== 'string') {
      return undefined;
    }
    let complete = true;
    const text = template.replace(/\$\{([^}!][^}]*)\}/g, (_whole, name: string) => {
      const value = name in variables ? arnPatternOf(variables[name], refs, other) : refs(name);
      complete = complete && value !== undefined;
      return value ?? '';
    });
    return complete ? text : undefined;
  }
  return other(entry);
}
