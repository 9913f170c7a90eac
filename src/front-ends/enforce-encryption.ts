import { Annotations, CfnResource, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GateSession } from '../engine/session';
import { Finding } from '../gate/finding';
import { FindingLevel } from '../gate/levels';
import { EncryptionGateOptions } from '../gate/options';
import { ResolvedOptions } from '../gate/resolved-options';
import { assertCdkVersion } from '../private/cdk-version';
import { RULES } from '../rules/catalogue';

/** Resources some `EnforceEncryption` judges; the Stage fallback skips them. */
const GATED = new WeakSet<CfnResource>();

/**
 * The encryption gate as a CDK Aspect: `Aspects.of(app).add(new EnforceEncryption())`.
 *
 * Every finding becomes an annotation on the offending L1 resource, whose message begins with the
 * rule ID: errors fail synthesis (`cdk synth` exits non-zero, `app.synth()` throws listing every
 * finding), warnings do not. Resources are judged during CDK's validation phase, after all Aspects
 * and escape hatches, so the verdict is about what will be synthesized.
 *
 * Stages: CDK does not apply an App's Aspects inside a `Stage`. Add the Aspect to each Stage to
 * get annotations there (`Aspects.of(stage).add(...)`); an Aspect on the App still judges the
 * Stages it cannot reach and fails synthesis on their errors.
 */
export class EnforceEncryption implements IAspect {
  private readonly options: ResolvedOptions;
  /** Resources and stages this Aspect has registered validations on, and roots it resets. */
  private readonly registered = new WeakSet<IConstruct>();
  private readonly resets = new WeakSet<IConstruct>();
  private readonly sessions = new WeakMap<IConstruct, GateSession>();
  private readonly stages = new WeakMap<Stack, IConstruct>();

  constructor(options: EncryptionGateOptions = {}) {
    assertCdkVersion('EnforceEncryption');
    this.options = new ResolvedOptions(RULES, options);
  }

  public visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node)) {
      if (this.options.rulesFor(node.cfnResourceType).length > 0 && !this.registered.has(node)) {
        this.registered.add(node);
        GATED.add(node);
        this.registerSessionReset(this.assemblyRootOf(node));
        node.node.addValidation({ validate: () => this.judge(node) });
      }
    } else if (Stage.isStage(node) && !this.registered.has(node)) {
      this.registered.add(node);
      for (const child of node.node.children) {
        if (Stage.isStage(child)) {
          node.node.addValidation({ validate: () => this.judgeUnreachedStage(child) });
        }
      }
    }
  }

  private judge(resource: CfnResource): string[] {
    const errors: string[] = [];
    for (const finding of this.session(resource).findingsOf(resource)) {
      if (annotate(resource, finding)) {
        errors.push(finding.message);
      }
    }
    return errors;
  }

  /**
   * CDK synthesizes a Stage before the App's Aspects run and never applies them inside it, so its
   * resources are judged here unless an Aspect inside the Stage judged them.
   */
  private judgeUnreachedStage(stage: Stage): string[] {
    const errors: string[] = [];
    const session = new GateSession(stage.node.root, this.options);
    const visit = (construct: IConstruct) => {
      if (CfnResource.isCfnResource(construct) && !GATED.has(construct)) {
        for (const finding of session.evaluateResource(construct)) {
          if (isFailure(finding)) {
            errors.push(`${finding.constructPath}: ${finding.message} (in Stage "${stage.node.path}", which Aspects of the App do not reach: add the Aspect to the Stage)`);
          }
        }
      }
      construct.node.children.forEach(visit);
    };
    visit(stage);
    return errors;
  }

  /** The Stage (or App) whose synthesis validates this resource; cached per stack. */
  private assemblyRootOf(resource: CfnResource): IConstruct {
    const stack = Stack.of(resource);
    let root = this.stages.get(stack);
    if (root === undefined) {
      root = Stage.of(stack) ?? stack.node.root;
      this.stages.set(stack, root);
    }
    return root;
  }

  private session(resource: CfnResource): GateSession {
    const key = this.assemblyRootOf(resource);
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = new GateSession(resource.node.root, this.options);
      this.sessions.set(key, session);
    }
    return session;
  }

  /**
   * Each synthesis judges the tree as it is then: the root's validations run before its
   * descendants', so dropping the session there gives every synthesis fresh indexes.
   */
  private registerSessionReset(root: IConstruct): void {
    if (!this.resets.has(root)) {
      this.resets.add(root);
      root.node.addValidation({
        validate: () => {
          this.sessions.delete(root);
          return [];
        },
      });
    }
  }
}

function isFailure(finding: Finding): boolean {
  return !finding.acknowledged && finding.level === FindingLevel.ERROR;
}

/** Records a finding on the resource; returns whether it fails synthesis. */
function annotate(resource: CfnResource, finding: Finding): boolean {
  const annotations = Annotations.of(resource);
  if (finding.acknowledged) {
    annotations.addInfo(`${finding.message} [acknowledged: ${finding.acknowledgementReason}]`);
    return false;
  }
  switch (finding.level) {
    case FindingLevel.ERROR:
      annotations.addError(finding.message);
      return true;
    case FindingLevel.WARNING:
      annotations.addWarningV2(finding.ruleId, finding.message);
      return false;
    default:
      annotations.addInfo(finding.message);
      return false;
  }
}
