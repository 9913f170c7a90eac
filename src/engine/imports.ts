import { CfnOutput, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { sameEnvironment, surelySameEnvironment } from './environments';

/**
 * Which export of the app an `Fn::ImportValue` reads. CloudFormation looks the name up among the
 * exports of the importing stack's account and Region, where it is unique; the app may hold several
 * of that name, in stacks of other environments or of environments only the deployment tells.
 */
export interface ImportRead {
  /** The exports of that name in the stacks that may be in the importer's account and Region. */
  readonly candidates: readonly CfnOutput[];
  /**
   * The one it surely reads: the only candidate, in a stack surely in the importer's account and
   * Region (both state the same, or both leave it to the deployment). `undefined` when the
   * deployment decides, or when no stack of the app exports the name.
   */
  readonly output?: CfnOutput;
}

/** What an import in `importer` reads among the app's exports of one name (`exports`). */
export function readExport(exports: readonly CfnOutput[], importer: Stack): ImportRead {
  const candidates = exports.filter(o => sameEnvironment(Stack.of(o), importer));
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return { candidates, output: only !== undefined && surelySameEnvironment(Stack.of(only), importer) ? only : undefined };
}

/** The outputs of an app by the name they export. */
export function exportsByName(outputs: readonly CfnOutput[]): Map<string, CfnOutput[]> {
  const byName = new Map<string, CfnOutput[]>();
  for (const output of outputs) {
    const exportName = output.exportName === undefined ? undefined : Stack.of(output).resolve(output.exportName);
    if (typeof exportName === 'string') {
      byName.set(exportName, [...byName.get(exportName) ?? [], output]);
    }
  }
  return byName;
}

/** Every output below a construct (the app's, when the index covers one Stage only). */
export function outputsBelow(root: IConstruct): CfnOutput[] {
  return root.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput);
}
