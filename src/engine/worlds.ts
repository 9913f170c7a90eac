/**
 * Deploy-time alternatives. A template can take several shapes at deploy time: each `Fn::If`
 * picks a branch, each resource `Condition` decides whether the resource exists. A *world* fixes
 * the truth of the conditions read so far; the gate judges a resource in every world its values
 * depend on, discovering them lazily: reading a value that depends on an undecided condition
 * throws `Fork`, and the judgement is repeated once with the condition true and once false. A
 * template without conditions has one world, the empty one, and pays nothing for the model.
 */

/** One decided condition: its identity (an atom), its truth, and how to name it in messages. */
interface Decision {
  readonly atom: string;
  readonly value: boolean;
  readonly label: string;
}

/** The truth of the conditions decided so far. Immutable. */
export class World {
  /** The world before any condition is decided. */
  public static readonly EMPTY = new World([]);

  /** A stable key: equal worlds have equal keys. */
  public readonly key: string;

  private constructor(private readonly decisions: readonly Decision[]) {
    this.key = decisions.map(d => `${d.atom}=${d.value ? 1 : 0}`).sort().join('&');
  }

  /** The truth of an atom in this world, or `undefined` if undecided. */
  public valueOf(atom: string): boolean | undefined {
    return this.decisions.find(d => d.atom === atom)?.value;
  }

  /** Whether some atom starting with `prefix` is true in this world. */
  public anyTrue(prefix: string): boolean {
    return this.decisions.some(d => d.value && d.atom.startsWith(prefix));
  }

  /** This world with one more decision. */
  public with(atom: string, value: boolean, label: string): World {
    return new World([...this.decisions, { atom, value, label }]);
  }

  /** How many conditions are decided. */
  public get size(): number {
    return this.decisions.length;
  }

  /** Words for messages: `when condition "IsProd" is false`; empty for the empty world. */
  public describe(): string {
    if (this.decisions.length === 0) {
      return '';
    }
    return `when ${this.decisions.map(d => `${d.label} is ${d.value}`).join(' and ')}`;
  }
}

/**
 * Thrown while reading a value that depends on an undecided condition. Caught only by the
 * judgement loop, which repeats the judgement in both worlds.
 */
export class Fork {
  constructor(public readonly atom: string, public readonly label: string) {}
}

/**
 * Thrown while reading a value in a world that cannot be deployed (an import of an output whose own
 * condition is false there: CloudFormation fails the stack). The judgement in that world has no
 * verdict, like one of a resource that does not exist there; readers that catch `Fork` to give up
 * on a value give up on this one too.
 */
export class ImpossibleWorld extends Fork {
  constructor(why: string) {
    super('impossible', why);
  }
}

/** How many combinations of conditions (worlds judged to the end) one judgement may explore before the verdict is "unresolvable". */
export const MAX_WORLDS = 64;
