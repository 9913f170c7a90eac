import { RuleInfo } from './rule-info';
import type { ResourceView } from '../engine/resource-view';
import type { RuleContext } from '../engine/rule-context';

/** The verdict of one rule on one resource. */
export type Verdict =
  | { readonly kind: 'compliant' }
  | { readonly kind: 'not-applicable' }
  | { readonly kind: 'non-compliant'; readonly message: string; readonly location: string }
  | { readonly kind: 'unresolvable'; readonly message: string; readonly location: string };

export const COMPLIANT: Verdict = { kind: 'compliant' };
export const NOT_APPLICABLE: Verdict = { kind: 'not-applicable' };

/** `location` is relative to the resource, for example `Properties.BucketEncryption`. */
export function nonCompliant(message: string, location: string): Verdict {
  return { kind: 'non-compliant', message, location };
}

export function unresolvable(message: string, location: string): Verdict {
  return { kind: 'unresolvable', message, location };
}

/**
 * A rule: its metadata, and a check that reads only the properties it needs from one resource
 * (and related resources through the stack index in `context`).
 */
export interface Rule extends RuleInfo {
  check(resource: ResourceView, context: RuleContext): Verdict;
}
