import { Token } from 'aws-cdk-lib';

/** What a non-default port is added to the engine's default port: 15432, 13306, 11433. */
export const PORT_OFFSET = 10000;

/** The engine's default port, and every log type it can export to CloudWatch Logs. */
export function engineDefaults(engineType: string): { port: number; logExports: string[] } {
  const e = engineType.toLowerCase();
  if (e === 'postgres') {
    return { port: 5432, logExports: ['postgresql', 'upgrade'] };
  }
  if (e === 'mysql' || e === 'mariadb') {
    return { port: 3306, logExports: ['audit', 'error', 'general', 'slowquery'] };
  }
  // SQL Server Express has no SQL Server Agent, so it has no agent log to export.
  return { port: 1433, logExports: e === 'sqlserver-ex' ? ['error'] : ['agent', 'error'] };
}

/** The first SQL Server Web version with Multi-AZ deployments (block-level replication, November 2025). */
const WEB_MULTI_AZ_SINCE = [16, 0, 4215, 2];

/**
 * Why the engine has no Multi-AZ deployments, or `undefined` when it has them (RDS User Guide,
 * Multi-AZ deployments for SQL Server): SQL Server Express never; SQL Server Web only from SQL
 * Server 2022 16.00.4215.2, by block-level replication. A version given as a major version only
 * (`16.00`) gets RDS's default minor version of it, which is taken to be recent enough.
 */
export function whyNoMultiAz(engineType: string, fullVersion: string | undefined): string | undefined {
  const e = engineType.toLowerCase();
  if (e === 'sqlserver-ex') {
    return `engine ${e} (SQL Server Express) has no Multi-AZ deployments`;
  }
  if (e === 'sqlserver-web' && fullVersion !== undefined && !Token.isUnresolved(fullVersion) && isBelow(fullVersion, WEB_MULTI_AZ_SINCE)) {
    return `engine ${e} ${fullVersion} (SQL Server Web) has Multi-AZ deployments from SQL Server 2022 16.00.4215.2 only`;
  }
  return undefined;
}

/** Whether a dotted version (`15.00.4073.23.v1`) is below `since`, comparing the parts it gives. */
function isBelow(version: string, since: readonly number[]): boolean {
  const parts = version.split('.').map(p => Number(p)).filter(n => !Number.isNaN(n));
  for (let i = 0; i < Math.min(parts.length, since.length); i++) {
    if (parts[i] !== since[i]) {
      return parts[i] < since[i];
    }
  }
  return false;
}
