/**
 * The engine parameter that forces TLS, by engine family: shared by `EncryptedRdsInstance` (which
 * sets it) and the RDS TLS rule (which checks it).
 */

/** A parameter and the value that forces TLS. */
export interface TlsParameter {
  readonly name: string;
  readonly value: string;
  /** Values that mean "on" when read back from a template. */
  readonly onValues: readonly string[];
}

const FORCE_SSL: TlsParameter = { name: 'rds.force_ssl', value: '1', onValues: ['1', 'true', 'on'] };
const REQUIRE_SECURE_TRANSPORT: TlsParameter = { name: 'require_secure_transport', value: 'ON', onValues: ['on', '1', 'true'] };

/**
 * The TLS parameter of an engine (`postgres`, `aurora-postgresql`, `mysql`, `aurora-mysql`,
 * `mariadb`, `sqlserver-ee`, ...), `'oracle'` for Oracle (TLS is an option group setting), or
 * `undefined` for engines this library does not know.
 */
export function tlsParameterOf(engine: string): TlsParameter | 'oracle' | undefined {
  const e = engine.toLowerCase();
  if (e === 'postgres' || e === 'aurora-postgresql' || e.startsWith('sqlserver')) {
    return FORCE_SSL;
  }
  if (e === 'mysql' || e === 'aurora-mysql' || e === 'aurora' || e === 'mariadb') {
    return REQUIRE_SECURE_TRANSPORT;
  }
  if (e.startsWith('oracle') || e.startsWith('custom-oracle')) {
    return 'oracle';
  }
  return undefined;
}

/**
 * Engines whose *default* parameter group already forces TLS: RDS for PostgreSQL 15 and later
 * default `rds.force_ssl` to 1 (Amazon RDS User Guide, "Requiring an SSL connection to a PostgreSQL
 * DB instance"); RDS for MariaDB 11.8 and later default `require_secure_transport` to ON (Amazon RDS
 * User Guide, "Requiring SSL/TLS for all connections to a MariaDB DB instance"); RDS for MySQL 9.7
 * and later default `require_secure_transport` to 1 (Amazon RDS User Guide, "Requiring SSL/TLS for
 * all connections to a MySQL DB instance"; 8.4 and lower default it to 0). Nothing else is assumed:
 * other defaults leave TLS optional.
 */
export function defaultForcesTls(engine: string, version: string | undefined): boolean {
  if (version === undefined) {
    return false;
  }
  const [major, minor] = version.split('.').map(Number);
  switch (engine.toLowerCase()) {
    case 'postgres':
      return Number.isFinite(major) && major >= 15;
    case 'mariadb':
      return Number.isFinite(major) && (major > 11 || (major === 11 && Number.isFinite(minor) && minor >= 8));
    case 'mysql':
      return Number.isFinite(major) && (major > 9 || (major === 9 && Number.isFinite(minor) && minor >= 7));
    default:
      return false;
  }
}

/**
 * Whether some version of the engine forces TLS in its default parameter group, so that a database
 * whose version is not known may or may not.
 */
export function someDefaultForcesTls(engine: string): boolean {
  const e = engine.toLowerCase();
  return e === 'postgres' || e === 'mariadb' || e === 'mysql';
}
