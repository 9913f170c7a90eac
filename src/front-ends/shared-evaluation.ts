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
}

export function sharedEvaluation(root: IConstruct, settings: RuleSettings): Evaluation {
  const holder = root as unknown as { [SHARED]?: Shared };
  let shared = holder[SHARED];
  if (shared === undefined) {
    const created: Shared = { evaluations: new Map() };
    Object.defineProperty(root, SHARED, { value: created, enumerable: false });
    root.node.addValidation({
      validate: () => {
        created.evaluations.clear();
        return [];
      },
    });
    shared = created;
  }
  const key = JSON.stringify({ requireKmsForS3: settings.requireKmsForS3, requireCustomerManagedKeys: settings.requireCustomerManagedKeys });
  let evaluation = shared.evaluations.get(key);
  if (evaluation === undefined) {
    evaluation = new Evaluation(root, settings);
    shared.evaluations.set(key, evaluation);
  }
  return evaluation;
}
