import { Token } from 'aws-cdk-lib';
import { StackFacts } from './stack-facts';
import { isJsonObject } from '../aws/json';

/**
 * The value an `Fn::FindInMap` reads when its keys are known and the mapping is the stack's own:
 * CloudFormation takes only literals in a mapping, so the entry is the value. A missing entry takes
 * the `DefaultValue` of the language extensions (in a stack that declares them); without one the
 * deployment fails. `undefined` when only the deployment tells.
 */
export function foldFindInMap(args: unknown, facts: StackFacts, deep: (value: unknown) => unknown): unknown {
  if (!Array.isArray(args) || args.length < 3 || args.length > 4 || facts.mapped === undefined) {
    return undefined;
  }
  const [name, key1, key2] = args.slice(0, 3).map(deep);
  if (typeof name !== 'string' || typeof key1 !== 'string' || typeof key2 !== 'string') {
    return undefined;
  }
  // A fourth argument is the language extensions' (a template without them is refused).
  const options = facts.stack.templateOptions;
  // `transform` (one, deprecated) joins `transforms` only when CDK renders the template, after Aspects.
  const extended = [...options.transforms ?? [], (options as { transform?: string }).transform].includes('AWS::LanguageExtensions');
  const entry = args.length === 4 && !extended ? undefined : facts.mapped(name, key1, key2);
  if (entry === undefined) {
    return undefined;
  }
  if (entry.found) {
    return isLiteral(entry.value) ? entry.value : undefined;
  }
  const fallback = args[3];
  return isJsonObject(fallback) && Object.keys(fallback).length === 1 && 'DefaultValue' in fallback ? deep(fallback.DefaultValue) : undefined;
}

/** A literal a mapping may hold: a string, a number, a boolean, or a list of strings. */
function isLiteral(value: unknown): boolean {
  if (typeof value === 'string') {
    return !Token.isUnresolved(value);
  }
  if (Array.isArray(value)) {
    return value.every(v => typeof v === 'string' && !Token.isUnresolved(v));
  }
  return typeof value === 'boolean' || (typeof value === 'number' && !Token.isUnresolved(value));
}
