/** How generated names are derived from collection names, in one place so every emitter agrees. */
import path from 'node:path';

/** `auditEvents` / `audit_events` → `AuditEvents`. */
export function pascalCase(name: string): string {
  return name
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** `auditEvents` → `audit-events` (file names are kebab-case). */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** The type and class names generated for one collection. */
export function namesOf(collection: string) {
  const base = pascalCase(collection);
  return {
    data: `${base}Data`,
    input: `${base}Input`,
    record: `${base}Record`,
    filter: `${base}Filter`,
    sort: `${base}Sort`,
    listQuery: `${base}ListQuery`,
    entityResults: `${base}EntityResults`,
    entityRecords: `${base}EntityRecords`,
    repository: `${base}Repository`,
    declarationModule: `${base[0]!.toLowerCase()}${base.slice(1)}Module`,
    file: `${kebabCase(collection)}.ts`,
    module: `./${kebabCase(collection)}.js`,
  };
}

/** An ESM import specifier (with `.js`) for `target` as seen from a file in `fromDir`. */
export function importSpecifier(fromDir: string, target: string): string {
  let rel = path.relative(fromDir, target).split(path.sep).join('/');
  rel = rel.replace(/\.(ts|mts)$/, (ext) => (ext === '.mts' ? '.mjs' : '.js'));
  return rel.startsWith('.') ? rel : `./${rel}`;
}
