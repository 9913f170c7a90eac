import { CfnResource, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * The Stages an App's `EnforceEncryption` cannot reach (CDK synthesizes a Stage before the App's
 * Aspects run and never applies them inside it), and where their errors are reported.
 */

const HOLDER_ID = 'EncryptionGate';

/**
 * Where the errors of unreached Stages are reported. CDK prefixes each validation error with the
 * path of the construct that returned it, and the App's path is empty (`[]`): on the App, a child
 * named `EncryptionGate` (no resources, nothing in any template) gives them a readable prefix.
 * CDK validates no construct inside a Stage during the App's synthesis, so the errors cannot sit
 * on the resources themselves. A Stage other than the App keeps them on itself.
 */
export function validationHolder(stage: Stage): IConstruct {
  if (stage.node.path !== '') {
    return stage;
  }
  return stage.node.tryFindChild(HOLDER_ID) ?? new Construct(stage, HOLDER_ID);
}

/** Every Stage below `scope` (through plain constructs and other Stages), not `scope` itself. */
export function stagesBelow(scope: IConstruct): Stage[] {
  const found: Stage[] = [];
  const visit = (construct: IConstruct) => {
    for (const child of construct.node.children) {
      // Most of the tree is L1s, which are never Stages: the cheaper test first.
      if (!CfnResource.isCfnResource(child) && Stage.isStage(child)) {
        found.push(child);
      }
      visit(child);
    }
  };
  visit(scope);
  return found;
}
