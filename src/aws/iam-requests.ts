/**
 * Condition blocks asked about concrete requests: several blocks (an Allow's and the Denies'),
 * one request at a time, as IAM evaluates the statements of a policy for one request.
 */
import { ABSENT, andAll, Choice, Constraint, ContextValue, keyHolds, parse, Picked, pickedValues, representatives, timeOfRequest, Tri } from './iam-conditions';

/** What a question fixes for one key. */
type KeyValue = ContextValue | Choice | Picked;

/** One concrete request: each key lower case, with its values; a key not in it is absent. */
export type Request = ReadonlyMap<string, readonly string[]>;

/** Whether the condition block holds for one concrete request. */
export function holdsFor(block: unknown, request: Request): Tri {
  const byKey = parse(block);
  if (byKey === undefined) {
    return undefined;
  }
  return andAll([...byKey].map(([key, constraints]) => keyHolds(constraints, request.get(key) ?? ABSENT)));
}

/**
 * Concrete requests that stand for every request whose fixed keys are as given, for the keys the
 * blocks test (each free key: absent, fresh, and around each literal the blocks name): asking
 * several blocks about one request, as IAM does for the statements of a policy. `undefined` when a
 * block is not literal, or there would be more than `limit`.
 */
export function requestsFor(blocks: readonly unknown[], fixed: (key: string) => KeyValue | undefined, limit = 4096): Request[] | undefined {
  const byKey = new Map<string, Constraint[]>();
  for (const block of blocks) {
    const parsed = parse(block);
    if (parsed === undefined) {
      return undefined;
    }
    for (const [key, constraints] of parsed) {
      byKey.set(key, [...byKey.get(key) ?? [], ...constraints]);
    }
  }
  let requests: Array<Map<string, readonly string[]>> = [new Map()];
  for (const [key, constraints] of byKey) {
    const given = fixed(key) ?? timeOfRequest(key);
    let values: ContextValue[];
    if (given instanceof Choice) {
      values = [...given.values];
    } else if (given instanceof Picked) {
      values = pickedValues(given, constraints);
    } else {
      values = given === undefined ? representatives(constraints) : [given];
    }
    if (requests.length * values.length > limit) {
      return undefined;
    }
    requests = requests.flatMap(request => values.map(value => {
      const next = new Map(request);
      if (value !== ABSENT) {
        next.set(key, value);
      }
      return next;
    }));
  }
  return requests;
}
