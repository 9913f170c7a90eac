import { IConstruct } from 'constructs';
import { Evaluation } from '../engine/evaluation';
import { RuleSelection } from '../engine/rule-selection';
import { Finding } from '../gate/finding';
import { EncryptionGateOptions } from '../gate/options';
import { assertCdkVersion } from '../private/cdk-version';
import { toFinding } from '../report/findings';
import { RULES } from '../rules/catalogue';

/**
 * The gate without a front end: judge a construct tree now and get the findings back, for tests,
 * custom reports or tools of your own. `EnforceEncryption` and `EncryptionChecks` run the same
 * evaluation during synthesis.
 */
export class EncryptionGate {
  /**
   * Every finding on the resources under `scope` (in every stack, nested stack and Stage below
   * it, also resources created under another L1), acknowledged ones included with their reason.
   *
   * It judges the tree as it stands when called. Cross-stack references are resolved, and Aspects
   * (yours, `Tags`, another library's) change resources, only during synthesis: to judge the
   * template CloudFormation receives, as `EnforceEncryption` and `EncryptionChecks` do, call it after
   * `app.synth()` (or `Template.fromStack`). Before synthesis it sees the props as constructed, and
   * a reference to another stack is reported as unresolvable.
   */
  public static evaluate(scope: IConstruct, options: EncryptionGateOptions = {}): Finding[] {
    assertCdkVersion('EncryptionGate');
    const selection = new RuleSelection(RULES, options);
    const evaluation = new Evaluation(scope.node.root, selection);
    const findings: Finding[] = [];
    const { resources, types } = evaluation.index.resourcesOf(scope);
    for (let i = 0; i < resources.length; i++) {
      const resource = resources[i];
      const rules = selection.rulesFor(types[i]);
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r];
        const verdict = evaluation.judge(rule, resource);
        if (verdict !== undefined) {
          findings.push(toFinding({ rule, record: evaluation.index.recordOf(resource), verdict }, selection));
        }
      }
    }
    return findings;
  }

  private constructor() {}
}
