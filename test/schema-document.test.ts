import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths';
import { allTables, qualifiedName, SCHEMA_DOCUMENT_PATH, schemaAreas, schemaDocumentText, tableDocumentation } from '../src/schema';

/** docs/schema.md: what a newcomer reads before 32 tables of code, generated from the tables. */
const committed = readFileSync(join(packageRoot(), SCHEMA_DOCUMENT_PATH), 'utf8');

/** The ```mermaid blocks of the document, each with the area heading above it. */
const diagrams = [...committed.matchAll(/^## (.+)$[\s\S]*?```mermaid\n([\s\S]*?)```/gm)].map((m) => ({ area: m[1]!, body: m[2]! }));

describe(`the schema document (${SCHEMA_DOCUMENT_PATH})`, () => {
  it('is regenerated from the tables without a diff (npm run docs)', () => {
    expect(schemaDocumentText() === committed, `${SCHEMA_DOCUMENT_PATH} is out of date: run npm run docs`).toBe(true);
  });

  it('puts every table in exactly one area, and every table is documented', () => {
    const placed = schemaAreas.flatMap((a) => a.tables.map(qualifiedName));
    expect(placed.sort()).toEqual(allTables.map(qualifiedName).sort());
    expect(new Set(placed).size).toBe(placed.length);
    const documented = new Set(tableDocumentation.map((d) => d.table));
    expect(allTables.filter((t) => !documented.has(t)).map(qualifiedName)).toEqual([]);
    expect(committed).not.toContain('(undocumented)');
  });

  it('has one Mermaid erDiagram per area, with every table of the area as an entity with all its columns', () => {
    expect(diagrams.map((d) => d.area)).toEqual(schemaAreas.map((a) => a.title));
    schemaAreas.forEach((area, i) => {
      const body = diagrams[i]!.body;
      expect(body.startsWith('erDiagram\n')).toBe(true);
      for (const table of area.tables) {
        const config = getTableConfig(table);
        const entity = config.schema && config.schema !== 'public' ? `${config.schema}_${config.name}` : config.name;
        const block = new RegExp(`^  ${entity} \\{\\n([\\s\\S]*?)^  \\}`, 'm').exec(body);
        expect(block, `${entity} in ${area.title}`).not.toBeNull();
        const columns = block![1]!.trim().split('\n').map((line) => line.trim().split(/\s+/)[1]);
        expect(columns).toEqual(config.columns.map((c) => c.name));
      }
    });
  });

  it('draws every foreign key of an area as a relationship labelled with its columns', () => {
    schemaAreas.forEach((area, i) => {
      const body = diagrams[i]!.body;
      for (const table of area.tables) {
        for (const fk of getTableConfig(table).foreignKeys) {
          const ref = fk.reference();
          const label = `"${ref.columns.map((c) => c.name).join(', ')}"`;
          const parent = getTableConfig(ref.foreignTable);
          const parentEntity = parent.schema && parent.schema !== 'public' ? `${parent.schema}_${parent.name}` : parent.name;
          const childEntity = getTableConfig(table).schema === 'audit' ? `audit_${getTableConfig(table).name}` : getTableConfig(table).name;
          expect(body, `${childEntity} → ${parentEntity} ${label}`).toMatch(new RegExp(`^  ${childEntity} [|}]o--[|o]\\| ${parentEntity} : ${label.replace(/[()]/g, '\\$&')}$`, 'm'));
        }
      }
    });
  });

  it('never lets a comment break a Mermaid attribute (no double quotes inside one)', () => {
    for (const { body } of diagrams) {
      for (const line of body.split('\n').filter((l) => l.startsWith('    '))) expect(line.match(/"/g)?.length ?? 0, line).toBeLessThanOrEqual(2);
    }
  });
});
