import { intrinsicName, JsonObject } from './json';

/**
 * The text of identifiers and ARNs as far as the template spells it out, for rules that only need
 * part of it: a key's alias, an ARN's service or Region. CDK's `formatArn` renders an `Fn::Join`
 * of literals and pseudo parameters; an included template often writes an `Fn::Sub`.
 */

/**
 * How literal text spells the Region of a stack that leaves it to the deployment (`AWS::Region`).
 * Without a colon, so that it stays one segment of an ARN.
 */
export const DEPLOY_REGION = '<stack Region>';

/** The text a value begins with; `complete` when that is all of it. */
export interface LiteralHead {
  readonly text: string;
  readonly complete: boolean;
}

/**
 * The literal text a value begins with: a string whole; a pseudo parameter as `DEPLOY_REGION`
 * (`AWS::Region`) or `*` (any other: partition, account, URL suffix); an `Fn::Join` or `Fn::Sub`
 * up to its first part known only at deploy time (a reference, a parameter). `undefined` for a
 * value that begins with no literal text.
 */
export function literalHead(value: unknown): LiteralHead | undefined {
  if (typeof value === 'string') {
    return { text: value, complete: true };
  }
  const fn = intrinsicName(value);
  const args = fn === undefined ? undefined : (value as JsonObject)[fn];
  if (fn === 'Ref') {
    const text = pseudoParameterText(args);
    return text === undefined ? undefined : { text, complete: true };
  }
  if (fn === 'Fn::Join' && Array.isArray(args) && typeof args[0] === 'string' && Array.isArray(args[1])) {
    return joinedHead(args[0], args[1] as unknown[]);
  }
  if (fn === 'Fn::Sub') {
    const template = Array.isArray(args) ? args[0] : args;
    return typeof template === 'string' ? substitutedHead(template) : undefined;
  }
  return undefined;
}

/** The whole literal text of a value (see `literalHead`), or `undefined` when part of it is known only at deploy time. */
export function literalTextOf(value: unknown): string | undefined {
  const head = literalHead(value);
  return head?.complete ? head.text : undefined;
}

/**
 * A segment of an ARN (`2`: the service, `3`: the Region) when the value's literal text begins an
 * ARN and spells that segment out whole; `DEPLOY_REGION` and `*` as `literalHead` spells them.
 */
export function arnSegment(value: unknown, index: number): string | undefined {
  const head = literalHead(value);
  if (head === undefined || !head.text.startsWith('arn:')) {
    return undefined;
  }
  const segments = head.text.split(':');
  // Without a colon after it, the last segment may go on in the part known only at deploy time.
  return segments.length > index + 1 || (head.complete && segments.length > index) ? segments[index] : undefined;
}

function pseudoParameterText(name: unknown): string | undefined {
  if (name === 'AWS::Region') {
    return DEPLOY_REGION;
  }
  return typeof name === 'string' && name.startsWith('AWS::') && name !== 'AWS::NoValue' ? '*' : undefined;
}

function joinedHead(delimiter: string, parts: readonly unknown[]): LiteralHead | undefined {
  const texts: string[] = [];
  for (const part of parts) {
    const head = literalHead(part);
    if (head === undefined) {
      return texts.length === 0 ? undefined : { text: texts.join(delimiter) + delimiter, complete: false };
    }
    texts.push(head.text);
    if (!head.complete) {
      return { text: texts.join(delimiter), complete: false };
    }
  }
  return { text: texts.join(delimiter), complete: true };
}

function substitutedHead(template: string): LiteralHead | undefined {
  let text = '';
  let rest = template;
  for (let at = rest.indexOf('${'); at >= 0; at = rest.indexOf('${')) {
    text += rest.slice(0, at);
    const end = rest.indexOf('}', at);
    if (end < 0) {
      return { text: text + rest.slice(at), complete: true };
    }
    const name = rest.slice(at + 2, end);
    if (name.startsWith('!')) {
      // `${!Literal}` writes `${Literal}`.
      text += `\${${name.slice(1)}}`;
    } else {
      const pseudo = pseudoParameterText(name);
      if (pseudo === undefined) {
        return text === '' ? undefined : { text, complete: false };
      }
      text += pseudo;
    }
    rest = rest.slice(end + 1);
  }
  return { text: text + rest, complete: true };
}
