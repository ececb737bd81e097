/**
 * The databases a configuration routes to. The runtime owns the routing; this module is the one
 * place migrate depends on it. `listDatabaseTargets` here is provisional: it reads the
 * configuration's documented shape until the runtime exports its own (then this file re-exports it).
 */

/** One database the configuration routes to. */
export interface DatabaseTarget {
  databaseType: 'metadata' | 'knowledge' | 'runtime' | 'logs' | 'messaging' | 'identities';
  tier: 'generic' | 'domain' | 'tenant' | 'single';
  tenantId?: string;
  domain?: string;
  dbConnRef: string;
  mongoUri: string;
  dbName: string;
}

interface DbEntry {
  dbConnRef: string;
  dbName: string;
  tenantId?: string;
  domain?: string;
}

type TieredSection = { genericDatabase?: DbEntry; domainsDatabases?: DbEntry[]; tenantDatabases?: DbEntry[] };

interface ConfigShape {
  dbConnections: Record<string, { mongoUri: string }>;
  databases: {
    metadata?: TieredSection;
    knowledge?: TieredSection;
    runtime?: { tenantDatabases?: DbEntry[] };
    logs?: DbEntry;
    messaging?: DbEntry;
    identities?: DbEntry;
  };
}

/** Every database of every database type and tier in `config`, in a stable order. */
export function listDatabaseTargets(config: unknown): DatabaseTarget[] {
  const { dbConnections, databases } = config as ConfigShape;
  const out: DatabaseTarget[] = [];
  const add = (databaseType: DatabaseTarget['databaseType'], tier: DatabaseTarget['tier'], entry: DbEntry) => {
    const connection = dbConnections[entry.dbConnRef];
    if (!connection) throw new Error(`databases.${databaseType}: dbConnRef "${entry.dbConnRef}" is not in dbConnections`);
    out.push({
      databaseType,
      tier,
      ...(entry.tenantId !== undefined ? { tenantId: entry.tenantId } : {}),
      ...(entry.domain !== undefined ? { domain: entry.domain } : {}),
      dbConnRef: entry.dbConnRef,
      mongoUri: connection.mongoUri,
      dbName: entry.dbName,
    });
  };
  for (const type of ['metadata', 'knowledge'] as const) {
    const section = databases[type];
    if (!section) continue;
    if (section.genericDatabase) add(type, 'generic', section.genericDatabase);
    for (const d of section.domainsDatabases ?? []) add(type, 'domain', d);
    for (const t of section.tenantDatabases ?? []) add(type, 'tenant', t);
  }
  for (const t of databases.runtime?.tenantDatabases ?? []) add('runtime', 'tenant', t);
  for (const type of ['logs', 'messaging', 'identities'] as const) {
    const entry = databases[type];
    if (entry) add(type, 'single', entry);
  }
  return out;
}
