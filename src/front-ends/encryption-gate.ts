import { IConstruct } from 'constructs';
import { GateSession } from '../engine/session';
import { Finding } from '../gate/finding';
import { EncryptionGateOptions } from '../gate/options';
import { ResolvedOptions } from '../gate/resolved-options';
import { RULES } from '../rules/catalogue';

/**
 * The gate without a front end: judge a construct tree now and get the findings back, for tests,
 * custom reports or tools of your own. `EnforceEncryption` and `EncryptionChecks` run the same
 * evaluation during synthesis.
 */
export class EncryptionGate {
  /**
   * Every finding on the resources of the stacks under `scope` (itself, nested stacks and stages
   * included), acknowledged ones included with their reason.
   *
   * Call it once the app is built: cross-stack references are only resolved during synthesis, so
   * before it a reference to another stack is reported as unresolvable.
   */
  public static evaluate(scope: IConstruct, options: EncryptionGateOptions = {}): Finding[] {
    return new GateSession(scope.node.root, new ResolvedOptions(RULES, options)).evaluateTree(scope);
  }

  private constructor() {}
}
