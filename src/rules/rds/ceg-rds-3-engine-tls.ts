import { isCrossRegion } from './replica-region';
import { defaultForcesTls, someDefaultForcesTls, TlsParameter, tlsParameterOf } from '../../aws/rds-tls-parameters';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule, unresolvable, Verdict } from '../../engine/rule';
import { TargetSpec, MemoKey, RuleContext } from '../../engine/rule-context';
import { field, isPresent, known, Reading, readList, readObject, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const DB_INSTANCE: TargetSpec = { types: ['AWS::RDS::DBInstance'], nameProperty: 'DBInstanceIdentifier', arnResource: 'db', noun: 'source DB instance' };
const PARAMETER_GROUP: TargetSpec = { types: ['AWS::RDS::DBParameterGroup'], nameProperty: 'DBParameterGroupName', noun: 'DB parameter group' };
const CLUSTER_PARAMETER_GROUP: TargetSpec = {
  types: ['AWS::RDS::DBClusterParameterGroup'], nameProperty: 'DBClusterParameterGroupName', noun: 'DB cluster parameter group',
};
const OPTION_GROUP: TargetSpec = { types: ['AWS::RDS::OptionGroup'], nameProperty: 'OptionGroupName', noun: 'option group' };

/**
 * CEG-RDS-3: the database engine refuses connections without TLS: `rds.force_ssl=1` (PostgreSQL,
 * SQL Server) or `require_secure_transport=ON` (MySQL, MariaDB) in the (cluster) parameter group,
 * the SSL option in Oracle's option group. Parameter groups that turn it off are flagged too.
 */
export const engineTls: Rule = {
  id: 'CEG-RDS-3',
  service: RuleService.RDS,
  title: 'RDS databases force TLS in the engine (rds.force_ssl, require_secure_transport, Oracle SSL option)',
  rationale:
    'RDS accepts unencrypted client connections unless the engine is told to refuse them; only RDS for PostgreSQL 15, MariaDB 11.8, '
    + 'MySQL 9.7 and later force TLS in their default parameter group (Amazon RDS User Guide). A parameter group outside the app cannot be checked.',
  fix: 'Use `EncryptedRdsInstance`, or attach a parameter group (for Aurora: a cluster parameter group) that sets `rds.force_ssl` to 1 '
    + '(PostgreSQL, SQL Server) or `require_secure_transport` to ON (MySQL, MariaDB); for Oracle, an option group with the SSL option.',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::DBParameterGroup', 'AWS::RDS::DBClusterParameterGroup'],
  defaultLevel: FindingLevel.ERROR,

  check(resource, context) {
    switch (resource.type) {
      case 'AWS::RDS::DBInstance':
        return resource.has('DBClusterIdentifier') ? NOT_APPLICABLE : judgeDatabase(context, resource, 'DBParameterGroupName', PARAMETER_GROUP);
      case 'AWS::RDS::DBCluster':
        return judgeDatabase(context, resource, 'DBClusterParameterGroupName', CLUSTER_PARAMETER_GROUP);
      default:
        return judgeStandaloneGroup(resource);
    }
  },
};

/**
 * Where a database without `Engine` gets its engine: a replica, clone or point-in-time restore
 * from its source (followed when it is in the app), a restore from its snapshot or backup.
 */
const ENGINE_SOURCES: ReadonlyArray<{ readonly property: string; readonly spec?: TargetSpec }> = [
  { property: 'SourceDBInstanceIdentifier', spec: DB_INSTANCE },
  { property: 'SourceDbiResourceId', spec: { types: DB_INSTANCE.types, noun: 'source DB instance' } },
  { property: 'SourceDBClusterIdentifier', spec: { types: ['AWS::RDS::DBCluster'], nameProperty: 'DBClusterIdentifier', arnResource: 'cluster', noun: 'source DB cluster' } },
  { property: 'SourceDbClusterResourceId', spec: { types: ['AWS::RDS::DBCluster'], noun: 'source DB cluster' } },
  { property: 'DBSnapshotIdentifier' },
  { property: 'DBClusterSnapshotIdentifier' },
  { property: 'SourceDBInstanceAutomatedBackupsArn' },
  { property: 'SnapshotIdentifier' },
];

interface EngineFacts {
  readonly engine?: string;
  readonly version?: string;
  /** Why the engine cannot be known. */
  readonly why?: string;
  /** Why the version is not known, when it is not (RDS's default at deploy time, or a source's). */
  readonly versionWhy?: string;
}

function engineOf(context: RuleContext, db: ResourceView, seen: Set<ResourceView> = new Set()): EngineFacts {
  const engine = readString(db.read('Engine'), 'Engine');
  const version = readString(db.read('EngineVersion'), 'EngineVersion');
  if (!engine.known) {
    return { why: engine.why };
  }
  const created = ENGINE_SOURCES.find(s => isPresent(db.read(s.property)));
  if (engine.value !== undefined && (!version.known || version.value !== undefined)) {
    return version.known ? { engine: engine.value, version: version.value } : { engine: engine.value, versionWhy: version.why };
  }
  if (engine.value !== undefined) {
    // Without EngineVersion a database created from a source runs the source's version (followed
    // in the app); a new one gets RDS's default version on the day it is created.
    const fromSource = created?.spec === undefined || seen.has(db) ? undefined : context.target(db, [created.property], created.spec);
    const facts = fromSource?.known ? engineOf(context, fromSource.value, new Set([...seen, db])) : undefined;
    if (facts?.version !== undefined && facts.engine?.toLowerCase() === engine.value.toLowerCase()) {
      return { engine: engine.value, version: facts.version };
    }
    return {
      engine: engine.value,
      versionWhy: created === undefined ? 'EngineVersion is not set, so RDS picks its default version when the database is created'
        : `EngineVersion is not set, so the database runs the version of its source (${created.property}), which ${fromSource?.known === false ? fromSource.why : 'the template does not tell'}`,
    };
  }
  const source = created;
  if (source === undefined) {
    return { engine: engine.value };
  }
  // Without Engine, RDS runs the source's engine: an unknown engine is unresolvable, never a pass.
  const from = `Engine is not set and the database is created from ${source.property}, so it runs its source's engine`;
  if (source.spec === undefined) {
    return { why: `${from}, which only the deployment tells; set Engine (the snapshot's or backup's engine) so that its TLS setting can be judged` };
  }
  const found = context.target(db, [source.property], source.spec);
  if (!found.known) {
    return { why: `${from}, and ${found.why}` };
  }
  seen.add(db);
  if (seen.has(found.value)) {
    return { why: `${from}, and the chain of sources through ${found.value.displayName} is a cycle` };
  }
  return engineOf(context, found.value, seen);
}

/** A point-in-time restore (not a read replica) of `SourceDBInstanceIdentifier`, as CloudFormation tells them apart. */
function isPointInTimeRestore(db: ResourceView): Reading<boolean> {
  const latest = db.boolean('UseLatestRestorableTime');
  return !latest.known ? latest : known(latest.value === true || isPresent(db.read('RestoreTime')));
}

function judgeDatabase(context: RuleContext, db: ResourceView, groupProperty: string, spec: TargetSpec): Verdict {
  const location = `Properties.${groupProperty}`;
  const { engine, version, why, versionWhy } = engineOf(context, db);
  if (why !== undefined) {
    return unresolvable(`the engine cannot be known: ${why}`, 'Properties.Engine');
  }
  // Where only the default parameter group decides, the version does for these engines.
  const byDefault = (): Verdict | undefined => versionWhy !== undefined && someDefaultForcesTls(engine!)
    ? unresolvable(`Whether the default parameter group of ${engine} forces TLS depends on the engine version: ${versionWhy}; set EngineVersion, or a parameter group that sets ${(tls as TlsParameter).name} to ${(tls as TlsParameter).value}`, 'Properties.EngineVersion')
    : undefined;
  const tls = engine === undefined ? undefined : tlsParameterOf(engine);
  if (tls === undefined) {
    return NOT_APPLICABLE;
  }
  if (tls === 'oracle') {
    return judgeOracle(context, db);
  }
  const restore = !db.has(groupProperty) && db.has('SourceDBInstanceIdentifier') ? isPointInTimeRestore(db) : known(true);
  if (!restore.known) {
    return unresolvable(`Whether the database is a read replica (its source's parameter group) or a point-in-time restore (the default group) cannot be known: ${restore.why}`,
      'Properties.UseLatestRestorableTime');
  }
  if (!restore.value) {
    // A read replica without its own group: in its source's Region it uses the source's group
    // (RDS does not even accept one for a same-Region MySQL replica); cross-Region, the default.
    // A point-in-time restore without one gets the engine's default group (RestoreDBInstanceToPointInTime).
    const source = context.target(db, ['SourceDBInstanceIdentifier'], DB_INSTANCE);
    if (!source.known) {
      return unresolvable(`the replica uses its source's parameter group, and ${source.why}`, 'Properties.SourceDBInstanceIdentifier');
    }
    const crossRegion = isCrossRegion(db, db.read('SourceDBInstanceIdentifier'), source.value);
    if (!crossRegion.known) {
      return unresolvable(`A replica in its source's Region uses its source's parameter group, one in another Region the default group, and ${crossRegion.why}`,
        'Properties.SourceDBInstanceIdentifier');
    }
    if (!crossRegion.value) {
      return context.memo(REPLICA_SOURCE, source.value, () => judgeDatabase(context, source.value, groupProperty, spec));
    }
  }
  if (!db.has(groupProperty) || isDefaultGroupName(db.read(groupProperty))) {
    const unknownVersion = byDefault();
    if (unknownVersion !== undefined) {
      return unknownVersion;
    }
    return defaultForcesTls(engine!, version) ? COMPLIANT
      : nonCompliant(`The ${engine} database uses the default parameter group, in which ${tls.name} is not ${tls.value}, so clients may connect without TLS`, location);
  }
  const group = context.target(db, [groupProperty], spec);
  if (!group.known) {
    return unresolvable(group.why, location);
  }
  const value = parameterValue(group.value, tls);
  if (!value.known) {
    return unresolvable(value.why, location);
  }
  if (value.on || (value.value === undefined && defaultForcesTls(engine!, version))) {
    return COMPLIANT;
  }
  const unknownVersion = value.value === undefined ? byDefault() : undefined;
  if (unknownVersion !== undefined) {
    return unknownVersion;
  }
  return nonCompliant(value.value === undefined
    ? `Its ${spec.noun} ${group.value.displayName} does not set ${tls.name} to ${tls.value}, so clients may connect without TLS`
    : `Its ${spec.noun} ${group.value.displayName} sets ${tls.name} to "${value.value}", so clients may connect without TLS`, location);
}

const REPLICA_SOURCE = new MemoKey<Verdict>('rds:replica-source-tls');

/** A literal `default.<family>` name: the AWS-managed default group (a token never is one). */
function isDefaultGroupName(name: unknown): boolean {
  return typeof name === 'string' && name.toLowerCase().startsWith('default.');
}

type ParameterReading = { known: true; value?: string; on: boolean } | { known: false; why: string };

function parameterValue(group: ResourceView, tls: TlsParameter): ParameterReading {
  const parameters = readObject(group.read('Parameters'), 'Parameters');
  if (!parameters.known) {
    return { known: false, why: `${parameters.why} (${group.displayName})` };
  }
  const raw = readString(field(parameters.value, tls.name), tls.name);
  if (!raw.known) {
    return { known: false, why: `${raw.why} (${group.displayName})` };
  }
  return { known: true, value: raw.value, on: raw.value !== undefined && tls.onValues.includes(raw.value.toLowerCase()) };
}

/** Parameter groups on their own: one that turns TLS off is flagged wherever it is used. */
function judgeStandaloneGroup(group: ResourceView): Verdict {
  const family = readString(group.read('Family'), 'Family');
  if (!family.known) {
    return unresolvable(family.why, 'Properties.Family');
  }
  const engine = /^([a-z-]+?)(?:-?\d|$)/.exec((family.value ?? '').toLowerCase())?.[1] ?? '';
  const tls = tlsParameterOf(engine.replace(/-(ee|se|ex|web)$/, '').replace(/^sqlserver.*/, 'sqlserver'));
  if (tls === undefined || tls === 'oracle') {
    return NOT_APPLICABLE;
  }
  const value = parameterValue(group, tls);
  if (!value.known) {
    return unresolvable(value.why, 'Properties.Parameters');
  }
  if (value.value !== undefined && !value.on) {
    return nonCompliant(`The parameter group sets ${tls.name} to "${value.value}", which lets clients connect without TLS`, 'Properties.Parameters');
  }
  return COMPLIANT;
}

function judgeOracle(context: RuleContext, db: ResourceView): Verdict {
  const location = 'Properties.OptionGroupName';
  if (!db.has('OptionGroupName')) {
    return nonCompliant('The Oracle database uses the default option group, which has no SSL option, so clients connect without TLS', location);
  }
  const group = context.target(db, ['OptionGroupName'], OPTION_GROUP);
  if (!group.known) {
    return unresolvable(group.why, location);
  }
  const options = readList(group.value.read('OptionConfigurations'), 'OptionConfigurations');
  if (!options.known) {
    return unresolvable(options.why, location);
  }
  return (options.value ?? []).some(o => field(o, 'OptionName') === 'SSL') ? COMPLIANT
    : nonCompliant(`Its option group ${group.value.displayName} has no SSL option, so clients connect without TLS`, location);
}
