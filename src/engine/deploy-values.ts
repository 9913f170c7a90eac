import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Conditions } from './conditions';
import { SHARED_PSEUDO_PARAMETERS } from './environments';
import { foldFindInMap } from './mappings';
import { isResourceReference, ReferenceTable, ResourceReference } from './resource-reference';
import { ExportRead, StackFacts } from './stack-facts';
import { ImpossibleWorld, World } from './worlds';
import { intrinsicName, isJsonObject, JsonObject, macroCallOf } from '../aws/json';
import { templateTypeOf } from '../private/cdk-internals';

export { ExportRead, StackFacts };


/** A property removed by `Ref: AWS::NoValue`. */
export const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Reads template values in one world: `Fn::If` takes the branch its condition has there,
 * `AWS::NoValue` removes the property or list element, and what is known at synth time is folded
 * (`Fn::Join` of literals, `Fn::Select` from a literal list, `Fn::Sub` of known pseudo parameters,
 * pseudo parameters of a stack whose environment is set, conditions over literals). References
 * to app resources become `ResourceReference`s. Anything else stays the intrinsic it is, for the
 * readers to report as unknown with the reason.
 */
export class DeployValues {
  private readonly conditions: Conditions;

  constructor(private readonly facts: StackFacts, private readonly world: World, private readonly table: ReferenceTable) {
    this.conditions = new Conditions(facts, world, value => this.deep(value));
  }

  /** The value with `Fn::If` and `AWS::NoValue` at its top level decided (not below). */
  public shallow(value: unknown): unknown {
    let current = value;
    for (let depth = 0; depth < 32; depth++) {
      const fn = intrinsicName(current);
      if (fn === 'Fn::If') {
        const args = (current as JsonObject)['Fn::If'];
        if (!Array.isArray(args) || args.length !== 3) {
          return current;
        }
        current = this.decide(args[0]) ? args[1] : args[2];
      } else if (fn === 'Ref' && (current as JsonObject).Ref === 'AWS::NoValue') {
        return NO_VALUE;
      } else if (fn === undefined) {
        // CloudFormation hands a macro the keys beside it and takes what it returns for the whole
        // object: the siblings are only its input.
        return macroCallOf(current) ?? current;
      } else {
        return current;
      }
    }
    return current;
  }

  /**
   * The whole value as it will be in this world. Parts that hold nothing to decide (no intrinsic,
   * no `undefined`) are returned as they are, not copied: readers never modify what they read.
   */
  public deep(value: unknown): unknown {
    const v = this.shallow(value);
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const e = this.deep(v[i]);
        if (out === undefined) {
          if (e === v[i]) {
            continue;
          }
          out = v.slice(0, i);
        }
        if (e !== NO_VALUE) {
          out.push(e);
        }
      }
      return out ?? v;
    }
    if (!isJsonObject(v)) {
      return v;
    }
    const fn = intrinsicName(v);
    if (fn !== undefined) {
      return this.intrinsic(fn, v);
    }
    const keys = Object.keys(v);
    let out: JsonObject | undefined;
    for (let i = 0; i < keys.length; i++) {
      const raw = v[keys[i]];
      const e = this.deep(raw);
      if (out === undefined) {
        if (e === raw && e !== undefined) {
          continue;
        }
        out = {};
        for (let j = 0; j < i; j++) {
          out[keys[j]] = v[keys[j]];
        }
      }
      if (e !== NO_VALUE && e !== undefined) {
        out[keys[i]] = e;
      }
    }
    return out ?? v;
  }

  private intrinsic(fn: string, v: JsonObject): unknown {
    const marked = this.table.unmark(v);
    if (marked !== undefined) {
      return marked;
    }
    const args = v[fn];
    switch (fn) {
      case 'Ref':
        if (typeof args !== 'string') {
          return v;
        }
        return (args.startsWith('AWS::') ? this.facts.pseudo(args) : this.facts.parameterValue(args)) ?? v;
      case 'Fn::Join': {
        const [delimiter, parts] = Array.isArray(args) ? args : [];
        const list = this.deep(parts);
        if (typeof delimiter === 'string' && Array.isArray(list) && list.every(p => typeof p === 'string')) {
          return list.join(delimiter);
        }
        if (delimiter === '' && Array.isArray(list)) {
          // Adjacent literals merge; nested joins flatten: one spelling for one value.
          return { [fn]: ['', flattenJoin(list)] };
        }
        return { [fn]: [delimiter, list] };
      }
      case 'Fn::Select': {
        const [index, list] = Array.isArray(args) ? [this.deep(args[0]), this.deep(args[1])] : [undefined, undefined];
        const i = typeof index === 'string' || typeof index === 'number' ? Number(index) : NaN;
        if (Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length) {
          return list[i];
        }
        return { [fn]: [index, list] };
      }
      case 'Fn::Sub':
        return this.sub(args);
      case 'Fn::ImportValue':
        return this.imported(v);
      case 'Fn::FindInMap':
        return foldFindInMap(args, this.facts, value => this.deep(value)) ?? v;
      case 'Fn::Split':
        return this.split(args);
      default:
        return { [fn]: this.deep(args) };
    }
  }

  /**
   * `Fn::Split` of a literal; of a join by the same delimiter (CDK's list exports:
   * `Fn::Split('||', Fn::ImportValue(...))` of an exported `Fn::Join('||', list)`), the list, when
   * no element can hold the delimiter: literals without it, and references whose values cannot
   * (see `cannotHold`).
   */
  private split(args: unknown): unknown {
    const [delimiter, source] = Array.isArray(args) && args.length === 2 ? [this.deep(args[0]), this.deep(args[1])] : [undefined, undefined];
    if (typeof delimiter === 'string' && delimiter !== '') {
      if (typeof source === 'string') {
        return source.split(delimiter);
      }
      const joined = intrinsicName(source) === 'Fn::Join' ? (source as JsonObject)['Fn::Join'] : undefined;
      if (Array.isArray(joined) && joined[0] === delimiter && Array.isArray(joined[1])
        && joined[1].every(p => typeof p === 'string' ? !p.includes(delimiter) : isResourceReference(p) && cannotHold(p, delimiter))) {
        return joined[1];
      }
    }
    return { 'Fn::Split': this.deep(args) };
  }

  /**
   * An `Fn::ImportValue` reads what the app's export of that name holds, as CloudFormation does,
   * when the import surely reads that export (see `StackFacts.exportRead`) and the value means the
   * same in the importing stack: literals, references to resources of the app, and the pseudo
   * parameters the two stacks share (see `portable`), joined. The export is read in this world, so
   * a condition of its stack forks the judgement like one of this stack. Otherwise the import stays.
   */
  private imported(v: JsonObject): unknown {
    const name = this.deep(v['Fn::ImportValue']);
    if (typeof name !== 'string') {
      return { 'Fn::ImportValue': name };
    }
    // Read once per importing stack, name and world: exports that import exports would be read again
    // at every level otherwise.
    let reads = IMPORTS.get(this.facts);
    if (reads === undefined) {
      reads = new Map();
      IMPORTS.set(this.facts, reads);
    }
    const key = `${name}\u0000${this.world.key}`;
    if (!reads.has(key)) {
      reads.set(key, this.readImport(name));
    }
    const value = reads.get(key);
    if (value instanceof ImpossibleWorld) {
      throw value;
    }
    return value;
  }

  private readImport(name: string): unknown {
    const read = importDepth < 8 ? this.facts.exportRead?.(name) : undefined;
    if (read === undefined) {
      return { 'Fn::ImportValue': name };
    }
    importDepth++;
    try {
      const values = new DeployValues(read.facts, this.world, this.table);
      if (read.condition !== undefined && !values.decide(read.condition)) {
        return new ImpossibleWorld(`the export "${name}" does not exist when its condition "${read.condition}" is false`);
      }
      const value = values.deep(read.value);
      return portable(value) ? value : { 'Fn::ImportValue': name };
    } finally {
      importDepth--;
    }
  }

  /**
   * `Fn::Sub` is a join of its template's literal pieces and placeholders: `${Name}` is a variable
   * of the map, a pseudo parameter or a `Ref`, `${Name.Attribute}` an `Fn::GetAtt`, `${!Text}` the
   * text itself. Rendered as that join (which folds to a literal when every piece is known), so the
   * readers see one form however the template spelled it. The template itself may arrive as a join
   * of literal pieces and references (CDK's rendering of an included `Fn::Sub`).
   */
  private sub(args: unknown): unknown {
    const [template, variables] = Array.isArray(args) ? [this.deep(args[0]), this.deep(args[1])] : [this.deep(args), undefined];
    const pieces = intrinsicName(template) === 'Fn::Join' && ((template as JsonObject)['Fn::Join'] as unknown[])[0] === ''
      ? ((template as JsonObject)['Fn::Join'] as unknown[])[1] : [template];
    if (!Array.isArray(pieces)) {
      return { 'Fn::Sub': this.deep(args) };
    }
    const parts: unknown[] = [];
    for (const piece of pieces) {
      if (typeof piece !== 'string') {
        parts.push(piece);
        continue;
      }
      let last = 0;
      for (const match of piece.matchAll(/\$\{([^}]*)\}/g)) {
        parts.push(piece.slice(last, match.index));
        parts.push(this.placeholder(match[1], variables));
        last = match.index! + match[0].length;
      }
      parts.push(piece.slice(last));
    }
    return this.deep({ 'Fn::Join': ['', parts.filter(p => p !== '')] });
  }

  private placeholder(name: string, variables: unknown): unknown {
    if (name.startsWith('!')) {
      return `\${${name.slice(1)}}`;
    }
    if (isJsonObject(variables) && variables[name] !== undefined) {
      return variables[name];
    }
    const dot = name.indexOf('.');
    return dot > 0 && !name.startsWith('AWS::') ? { 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] } : { Ref: name };
  }

  /** Whether a condition (by logical ID, or an inline condition expression) holds in this world. */
  public decide(condition: unknown): boolean {
    return this.conditions.decide(condition);
  }
}

/**
 * Whether a reference's value cannot hold the delimiter: a KMS key's ID, ARN or alias name holds only
 * letters, digits, `:`, `/`, `_` and `-` (the lists of keys the rules read); other resources' names
 * may hold more (a CloudWatch alarm's, a `|`).
 */
function cannotHold(reference: ResourceReference, delimiter: string): boolean {
  return templateTypeOf(reference.target).startsWith('AWS::KMS::') && !/[A-Za-z0-9:/_-]/.test(delimiter);
}

/** How many imports are being read inside one another (an export that imports itself ends there). */
let importDepth = 0;

/** What each stack's imports read, per name and world (a fork is not kept: it is thrown again). */
const IMPORTS = new WeakMap<StackFacts, Map<string, unknown>>();


/**
 * Whether a value read in the exporting stack means the same in the importing one: nothing of the
 * exporting stack's own (a parameter, its name, a mapping, an attribute CDK did not mark) is left.
 */
export function portable(value: unknown): boolean {
  if (value === NO_VALUE || value === undefined) {
    return false;
  }
  if (typeof value !== 'object' || value === null || isResourceReference(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.every(item => portable(item));
  }
  const fn = intrinsicName(value);
  if (fn === 'Ref') {
    return SHARED_PSEUDO_PARAMETERS.has(String((value as JsonObject).Ref));
  }
  if (fn !== undefined && fn !== 'Fn::Join') {
    return false;
  }
  return Object.values(value).every(item => portable(item));
}

function flattenJoin(parts: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const part of parts) {
    const inner = intrinsicName(part) === 'Fn::Join' && ((part as JsonObject)['Fn::Join'] as unknown[])[0] === ''
      ? ((part as JsonObject)['Fn::Join'] as unknown[])[1] as unknown[] : [part];
    for (const item of inner) {
      if (typeof item === 'string' && typeof out[out.length - 1] === 'string') {
        out[out.length - 1] = (out[out.length - 1] as string) + item;
      } else if (item !== '') {
        out.push(item);
      }
    }
  }
  return out;
}

/** The literal value of a pseudo parameter in a stack, when its environment fixes it. */
export function pseudoParameterOf(stack: Stack, name: string): string | undefined {
  const literal = (value: string) => Token.isUnresolved(value) ? undefined : value;
  switch (name) {
    case 'AWS::Region':
      return literal(stack.region);
    case 'AWS::AccountId':
      return literal(stack.account);
    case 'AWS::Partition':
      // A stack of a known Region of the aws partition is in it. The gate reads principals and ARNs
      // in that partition's spelling; in another partition the pseudo parameter stays, as it is read.
      return literal(stack.partition) ?? (standardRegion(stack) ? 'aws' : undefined);
    case 'AWS::URLSuffix':
      return literal(stack.urlSuffix) ?? (standardRegion(stack) ? 'amazonaws.com' : undefined);
    case 'AWS::StackName':
      return literal(stack.stackName);
    default:
      return undefined;
  }
}

/** Whether a stack's Region is a literal of the aws partition (by aws-cdk-lib's region facts). */
function standardRegion(stack: Stack): boolean {
  return !Token.isUnresolved(stack.region) && RegionInfo.get(stack.region).partition === 'aws';
}
