import { SHARED_PSEUDO_PARAMETERS } from './environments';
import type { StackFacts } from './stack-facts';
import { Fork, World } from './worlds';
import { intrinsicName, JsonObject } from '../aws/json';

/**
 * CloudFormation conditions decided in one world: `Fn::And`, `Fn::Or`, `Fn::Not`, references to
 * other conditions, and `Fn::Equals` — of literals, known at synth time; of a parameter and a
 * literal, an atom the world decides, a parameter equalling one literal at a time; of anything
 * else, an atom. An undecided atom throws `Fork`.
 */
export class Conditions {
  constructor(
    private readonly facts: StackFacts,
    private readonly world: World,
    /** Evaluates the operands of `Fn::Equals` (pseudo parameters, joins) in the same world. */
    private readonly evaluate: (value: unknown) => unknown,
  ) {}

  /** Whether a condition (by logical ID, or an inline condition expression) holds in this world. */
  public decide(condition: unknown, depth = 0): boolean {
    if (depth > 32) {
      throw new Fork(`loop:${JSON.stringify(condition)}`, 'a condition that refers to itself');
    }
    if (typeof condition === 'string') {
      const expression = this.facts.conditionExpression(condition);
      if (expression === undefined) {
        return this.atom(`${this.facts.stack.node.path}#${condition}`, `condition "${condition}"`);
      }
      return this.holds(expression, condition, depth + 1);
    }
    return this.holds(condition, undefined, depth + 1);
  }

  private holds(expression: unknown, name: string | undefined, depth: number): boolean {
    const fn = intrinsicName(expression);
    const args = fn === undefined ? undefined : (expression as JsonObject)[fn];
    const list = Array.isArray(args) ? args : [];
    switch (fn) {
      case 'Condition':
        return this.decide(args, depth);
      case 'Fn::And':
        return list.every(c => this.holds(c, undefined, depth + 1));
      case 'Fn::Or':
        return list.some(c => this.holds(c, undefined, depth + 1));
      case 'Fn::Not':
        return !this.holds(list[0], undefined, depth + 1);
      case 'Fn::Equals': {
        const [a, b] = [this.evaluate(list[0]), this.evaluate(list[1])];
        if (isLiteral(a) && isLiteral(b)) {
          return String(a) === String(b);
        }
        // A parameter has one value: if it equals one literal, it equals no other.
        const parameter = intrinsicName(a) === 'Ref' && isLiteral(b) ? (a as JsonObject).Ref
          : intrinsicName(b) === 'Ref' && isLiteral(a) ? (b as JsonObject).Ref : undefined;
        if (typeof parameter === 'string') {
          const literal = String(intrinsicName(a) === 'Ref' ? b : a);
          // Its AllowedValues bound what it can be: outside them, never; the only one, always.
          const allowed = this.facts.allowedValues(parameter);
          if (allowed !== undefined && !allowed.includes(literal)) {
            return false;
          }
          if (allowed !== undefined && allowed.every(value => value === literal)) {
            return true;
          }
          // A pseudo parameter shared by stacks surely in one environment is one atom for all of them
          // (a value read from another stack's export meets this stack's conditions on the Region).
          const prefix = SHARED_PSEUDO_PARAMETERS.has(parameter) ? `#pseudo:${parameter}=` : `${this.facts.stack.node.path}#parameter:${parameter}=`;
          if (this.world.valueOf(prefix + literal) === undefined && this.world.anyTrue(prefix)) {
            return false;
          }
          const label = name !== undefined ? `condition "${name}"` : `parameter ${parameter} = "${literal}"`;
          return this.atom(prefix + literal, label);
        }
        break;
      }
      default:
        if (typeof expression === 'boolean') {
          return expression;
        }
    }
    const label = name !== undefined ? `condition "${name}"` : `condition ${JSON.stringify(expression)}`;
    return this.atom(`${this.facts.stack.node.path}#${JSON.stringify(expression)}`, label);
  }

  private atom(atom: string, label: string): boolean {
    const value = this.world.valueOf(atom);
    if (value === undefined) {
      throw new Fork(atom, label);
    }
    return value;
  }
}

function isLiteral(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
