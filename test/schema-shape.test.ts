import { describe, expect, it } from 'vitest';
import { is, SQL } from 'drizzle-orm';
import { getTableConfig, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pg-proxy';
import * as schema from '../src/schema/tables';
import { schemaDocs } from '../src/schema/docs';

/**
 * Shape of the Drizzle schema, checked without a database: naming, RLS, FK indexes, relations.
 * The catalogue tests check the same things again on the migrated database.
 */

const tables = (Object.entries(schema) as [string, unknown][])
  .filter((entry): entry is [string, PgTable] => is(entry[1], PgTable))
  .map(([exportName, table]) => ({ exportName, table, config: getTableConfig(table) }));

const dialect = new PgDialect();

/** Column names of an index; expression columns render as their SQL text. */
function indexColumns(columns: readonly unknown[]): string[] {
  return columns.map((c) => (is(c, SQL) ? dialect.sqlToQuery(c).sql : (c as { name: string }).name));
}

/** Every index-like structure of a table: key columns, name, whether it is partial. */
function keysOf(config: (typeof tables)[number]['config']) {
  const keys: { name: string; columns: string[]; partial: boolean; unique: boolean }[] = [];
  const pkColumns = config.columns.filter((c) => c.primary).map((c) => c.name);
  if (pkColumns.length > 0) keys.push({ name: `${config.name}_pkey`, columns: pkColumns, partial: false, unique: true });
  for (const pk of config.primaryKeys) keys.push({ name: pk.getName() ?? '(unnamed)', columns: pk.columns.map((c) => c.name), partial: false, unique: true });
  for (const uc of config.uniqueConstraints) {
    keys.push({ name: uc.getName() ?? '(unnamed)', columns: uc.columns.map((c) => c.name), partial: false, unique: true });
  }
  for (const ix of config.indexes) {
    keys.push({
      name: ix.config.name ?? '(unnamed)',
      columns: indexColumns(ix.config.columns),
      partial: ix.config.where !== undefined,
      unique: ix.config.unique,
    });
  }
  return keys;
}

function startsWith(columns: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= columns.length && prefix.every((c, i) => columns[i] === c);
}

describe('schema shape', () => {
  it('has exactly the 32 tables of the domain model', () => {
    expect(tables).toHaveLength(32);
    const names = tables.map((t) => `${t.config.schema ?? 'public'}.${t.config.name}`);
    expect(new Set(names).size).toBe(32);
    expect(names).toContain('audit.audit_log');
  });

  it('enables RLS on every table', () => {
    const without = tables.filter((t) => !t.config.enableRLS).map((t) => t.config.name);
    expect(without).toEqual([]);
  });

  it('names tables and columns in lowercase snake_case', () => {
    for (const { config } of tables) {
      expect(config.name).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const column of config.columns) expect(column.name, `${config.name}.${column.name}`).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('leads every foreign key with an index, primary key or unique constraint', () => {
    const missing: string[] = [];
    for (const { config } of tables) {
      const keys = keysOf(config);
      for (const fk of config.foreignKeys) {
        const columns = fk.reference().columns.map((c) => c.name);
        if (!keys.some((k) => startsWith(k.columns, columns))) missing.push(`${config.name}: ${fk.getName()} (${columns.join(', ')})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('indexes organization_id on every table that has one', () => {
    const missing = tables
      .filter(({ config }) => config.columns.some((c) => c.name === 'organization_id'))
      .filter(({ config }) => !keysOf(config).some((k) => k.columns[0] === 'organization_id'))
      .map(({ config }) => config.name);
    expect(missing).toEqual([]);
  });

  it('has no duplicate indexes (same columns and same predicate)', () => {
    const duplicates: string[] = [];
    for (const { config } of tables) {
      const seen = new Map<string, string>();
      for (const ix of config.indexes) {
        const signature = [ix.config.method ?? 'btree', indexColumns(ix.config.columns).join(','), ix.config.where ? dialect.sqlToQuery(ix.config.where).sql : ''].join('|');
        const other = seen.get(signature);
        if (other) duplicates.push(`${config.name}: ${other} = ${ix.config.name}`);
        seen.set(signature, ix.config.name ?? '');
      }
      // A plain index on exactly the columns of the primary key or a unique constraint adds nothing.
      for (const ix of config.indexes) {
        if (ix.config.where) continue;
        const columns = indexColumns(ix.config.columns).join(',');
        const constraint = keysOf(config).find((k) => k.unique && !k.partial && k.name !== ix.config.name && k.columns.join(',') === columns);
        if (constraint) duplicates.push(`${config.name}: ${ix.config.name} duplicates ${constraint.name}`);
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('names every check <table>_..._check', () => {
    for (const { config } of tables) {
      for (const check of config.checks) {
        expect(check.name).toMatch(/^[a-z_]+_check$/);
        expect(check.name.startsWith(`${config.name}_`), `${check.name} on ${config.name}`).toBe(true);
      }
    }
  });

  it('names foreign keys, uniques and indexes explicitly after their table', () => {
    for (const { config } of tables) {
      for (const fk of config.foreignKeys) {
        const columns = fk.reference().columns.map((c) => c.name).join('_');
        const conventional = `${config.name}_${columns}_fkey`;
        // Postgres cuts names at 63 characters: a longer one says what the key is for instead.
        if (conventional.length <= 63) expect(fk.getName()).toBe(conventional);
        else expect(fk.getName()).toMatch(new RegExp(`^${config.name}_[a-z0-9_]+_fkey$`));
      }
      for (const uc of config.uniqueConstraints) expect(uc.getName()).toMatch(new RegExp(`^${config.name}_[a-z0-9_]+_key$`));
      for (const pk of config.primaryKeys) expect(pk.getName()).toBe(`${config.name}_pkey`);
      for (const ix of config.indexes) {
        expect(ix.config.name, `index on ${config.name}`).toMatch(new RegExp(`^${config.name}_[a-z0-9_]+_(idx|key)$`));
        // A unique index is named like a unique constraint, a plain one like an index.
        expect(ix.config.name?.endsWith('_key')).toBe(ix.config.unique);
      }
    }
  });

  it('keeps every constraint and index name within 63 characters and unique in its schema', () => {
    const names: string[] = [];
    for (const { config } of tables) {
      names.push(
        ...keysOf(config).map((k) => k.name),
        ...config.foreignKeys.map((fk) => fk.getName()),
        ...config.checks.map((c) => c.name),
      );
    }
    expect(names.filter((n) => n.length > 63)).toEqual([]);
    // Index names share the schema namespace with tables and other indexes.
    const relationNames = tables.flatMap(({ config }) => keysOf(config).map((k) => `${config.schema ?? 'public'}.${k.name}`));
    expect(new Set(relationNames).size).toBe(relationNames.length);
  });

  it('enforces the same code lists as the validators use', async () => {
    const codes = await import('../src/schema/codes');
    const sessions = getTableConfig(schema.therapySessions);
    const statusCheck = sessions.checks.find((c) => c.name === 'therapy_sessions_status_check');
    expect(statusCheck).toBeDefined();
    const rendered = dialect.sqlToQuery(statusCheck!.value).sql;
    for (const status of codes.sessionStatuses) expect(rendered).toContain(`'${status}'`);
  });

  it('declares relations the query builder can resolve', () => {
    const db = drizzle(async () => ({ rows: [] }), { schema });
    const query = db.query as unknown as Record<string, { findMany: (config: unknown) => { toSQL: () => { sql: string } } }>;
    const relational = (db as unknown as { _: { schema: Record<string, { relations: Record<string, unknown> }> } })._.schema;
    let checked = 0;
    for (const [tableKey, table] of Object.entries(relational)) {
      for (const relation of Object.keys(table.relations)) {
        // Building the SQL resolves the relation (and its inverse for `many`), throwing if ambiguous.
        expect(() => query[tableKey]!.findMany({ with: { [relation]: true } }).toSQL(), `${tableKey}.${relation}`).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('documents every table', () => {
    const documented = new Set(schemaDocs.filter((d) => d.key.startsWith('comment on table ')).map((d) => d.key.slice('comment on table '.length)));
    const missing = tables.map(({ config }) => `${config.schema ?? 'public'}.${config.name}`).filter((n) => !documented.has(n));
    expect(missing).toEqual([]);
  });
});
