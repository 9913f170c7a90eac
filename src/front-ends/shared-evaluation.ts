import { IConstruct } from 'constructs';
import { Evaluation } from '../engine/evaluation';
import { RuleSettings } from '../engine/rule-context';

/**
 * The evaluation every `EnforceEncryption` of one synthesis shares, kept on the construct that is
 * synthesized (the App, or a Stage) rather than in module state: however many Aspects and Stages
 * ask, the app is indexed once per synthesis root and settings. The root's own validation runs
 * before its descendants', so dropping the evaluations there gives each synthesis a fresh view.
 */
const SHARED = Symbol.for('cdk-encryption-guard.shared-evaluation');

interface Shared {
  readonly evaluations: Map<string, Evaluation>;
  /** Things done once per synthesis of the root (listing the warnings along with the errors). */
  readonly done: Set<string>;
}

export function sharedEvaluation(root: IConstruct, settings: RuleSettings): Evaluation {
  let shared = (root as unknown as { [SHARED]?: Shared })[SHARED];
  if (shared === undefined) {
    shared = holderOf(root);
  }
  // The settings rules read (as flags): one evaluation for each combination.
  const key = `${settings.requireKmsForS3 ? 1 : 0}${settings.requireCustomerManagedKeys ? 1 : 0}`;
  let evaluation = shared.evaluations.get(key);
  if (evaluation === undefined) {
    evaluation = new Evaluation(root, settings);
    shared.evaluations.set(key, evaluation);
  }
  return evaluation;
}

/** Whether `what` is asked for the first time in this synthesis of `root` (then it counts as done). */
export function firstInSynthesis(root: IConstruct, what: string): boolean {
  const shared = holderOf(root);
  if (shared.done.has(what)) {
    return false;
  }
  shared.done.add(what);
  return true;
}

/** Has the root's reset of its shared evaluations validated before any validation added after this. */
export function prepareSharedEvaluation(root: IConstruct): void {
  holderOf(root);
}

function holderOf(root: IConstruct): Shared {
  const holder = root as unknown as { [SHARED]?: Shared };
  let shared = holder[SHARED];
  if (shared === undefined) {
    const created: Shared = { evaluations: new Map(), done: new Set() };
    Object.defineProperty(root, SHARED, { value: created, enumerable: false });
    root.node.addValidation({
      validate: () => {
        created.evaluations.clear();
        created.done.clear();
        return [];
      },
    });
    shared = created;
  }
  return shared;
}
