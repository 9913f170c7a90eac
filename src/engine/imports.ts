import { CfnOutput, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { sameEnvironment, surelySameEnvironment } from './environments';
import type { ReferenceTable } from './resource-reference';
import { intrinsicName, isJsonObject } from '../aws/json';

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

/**
 * The stacks of the app whose resources a value may reach through exports (by a literal name, on
 * any branch), in an account and Region `importer` may be in: the exporting stacks, and those their
 * exported values lead to (the resources they refer to, the exports they import in turn).
 */
export function stacksReachedByImports(
  value: unknown, importer: Stack, exportsNamed: (name: string) => readonly CfnOutput[], table: ReferenceTable,
): Stack[] {
  const stacks = new Set<Stack>();
  const seen = new Set<string>();
  const visit = (current: unknown, from: Stack): void => {
    for (const name of importedNames(current)) {
      if (seen.has(name)) {
        continue;
      }
      seen.add(name);
      for (const output of exportsNamed(name).filter(o => sameEnvironment(Stack.of(o), from))) {
        const exporter = Stack.of(output);
        stacks.add(exporter);
        const exported = table.resolve(exporter, output.value);
        table.referencesIn(exported).forEach(target => stacks.add(Stack.of(target)));
        visit(exported, exporter);
      }
    }
  };
  visit(value, importer);
  return [...stacks];
}

/** The literal names a value imports (`Fn::ImportValue`), on any branch. */
function importedNames(value: unknown, names: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach(item => importedNames(item, names));
  } else if (isJsonObject(value)) {
    const imported = intrinsicName(value) === 'Fn::ImportValue' ? value['Fn::ImportValue'] : undefined;
    if (typeof imported === 'string') {
      names.push(imported);
    } else {
      Object.values(value).forEach(item => importedNames(item, names));
    }
  }
  return names;
}
