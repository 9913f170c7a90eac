import { Stack } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { inEnvironment, sameEnvironment, surelyInEnvironment } from './environments';
import { ResourceRecord } from './resource-view';
import type { TargetSpec } from './rule-context';
import { Fork, World } from './worlds';

/** The resources a literal name or ARN names: the one it surely names, or those it may name. */
export interface Named {
  /** The resource of the app it names in its account and Region, for sure. */
  readonly record?: ResourceRecord;
  /**
   * Otherwise, the resources of that name in stacks that may or may not be in that account and
   * Region (one of the two stacks leaves it to the deployment): only the deployment tells.
   */
  readonly maybe: readonly ResourceRecord[];
  /** Whether `maybe` lists several resources surely of that name there (the deployment fails for all but one). */
  readonly ambiguous?: boolean;
}

/**
 * Resources found by their literal names (a rotation schedule's `SecretId: app/db`, an instance's
 * `DBParameterGroupName`), in the account and Region the name means: names are unique per account
 * and Region, not per app. One map of names per type and name property, made on first use.
 */
export class NamedResources {
  private readonly names = new Map<string, Map<string, ResourceRecord[]>>();

  constructor(private readonly index: AppIndex) {}

  /**
   * What `value` (a name or ARN), read in `from`'s stack, names among the resources of `spec.types`
   * in `world`: a resource of `from`'s own stack of that name that exists there holds it whenever
   * that stack deploys.
   */
  public named(from: Stack, value: string, spec: TargetSpec, world: World): Named {
    if (spec.nameProperty === undefined) {
      return { maybe: [] };
    }
    const name = physicalName(value, spec).toLowerCase();
    // An ARN says its account and Region; a bare name means the caller's.
    const [account, region] = value.startsWith('arn:') ? [value.split(':')[4] || undefined, value.split(':')[3] || undefined] : [undefined, undefined];
    const may = spec.types.flatMap(type => this.namesOf(type, spec.nameProperty!).get(name) ?? [])
      .filter(r => account || region ? inEnvironment(r.stack, account, region) : sameEnvironment(r.stack, from));
    // The own stack's resource, when the name (or ARN) surely means the own stack's environment. Two
    // there of one name cannot both deploy (ec2.Instance's IMDSv2 launch templates without their flag).
    const owns = may.filter(r => r.stack === from && surelyInEnvironment(r.stack, account, region, from) && r.in(world).exists());
    if (owns.length > 0) {
      return owns.length === 1 ? { record: owns[0], maybe: [] } : { maybe: owns, ambiguous: true };
    }
    // The others that exist in this world (a condition of their stack may remove one).
    const others = may.filter(r => r.in(world).exists());
    const sure = others.filter(r => surelyInEnvironment(r.stack, account, region, from));
    if (sure.length === others.length && sure.length <= 1) {
      return sure.length === 1 ? { record: sure[0], maybe: [] } : { maybe: [] };
    }
    // Several of that name there, or one that may be where another surely is: the deployment decides.
    return { maybe: others, ambiguous: sure.length === others.length };
  }

  private namesOf(type: string, nameProperty: string): Map<string, ResourceRecord[]> {
    const key = `${type}|${nameProperty}`;
    let map = this.names.get(key);
    if (map === undefined) {
      map = new Map();
      for (const record of this.index.allOfType(type)) {
        const name = literalIn(record, nameProperty);
        if (name !== undefined) {
          map.set(name.toLowerCase(), [...map.get(name.toLowerCase()) ?? [], record]);
        }
      }
      this.names.set(key, map);
    }
    return map;
  }
}

/** A property's literal string value in the empty world, without forking. */
function literalIn(record: ResourceRecord, property: string): string | undefined {
  try {
    const value = record.in(World.EMPTY).read(property);
    return typeof value === 'string' ? value : undefined;
  } catch (e) {
    if (e instanceof Fork) {
      return undefined;
    }
    throw e;
  }
}

/** The name part of an ARN (`arn:aws:rds:eu-west-1:111:db:name` -> `name`), or the value itself. */
function physicalName(value: string, spec: TargetSpec): string {
  if (spec.arnResource && value.startsWith('arn:')) {
    const parts = value.split(':');
    const at = parts.indexOf(spec.arnResource, 5);
    if (at >= 0 && at + 1 < parts.length) {
      return parts.slice(at + 1).join(':');
    }
  }
  return value;
}
