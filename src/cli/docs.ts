import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { packageRoot } from '../paths';
import { ACCESS_MATRIX_PATH, accessMatrixDocument, allAccess } from '../policies';
import { SCHEMA_DOCUMENT_PATH, schemaDocumentText } from '../schema';

/** A document generated from the declarations: where it goes, how to write it, what it covers. */
interface GeneratedDocument {
  readonly path: string;
  readonly render: () => string;
  readonly what: string;
}

const generatedDocuments: readonly GeneratedDocument[] = [
  { path: ACCESS_MATRIX_PATH, render: () => accessMatrixDocument(allAccess), what: `${allAccess.length} tables' access` },
  { path: SCHEMA_DOCUMENT_PATH, render: schemaDocumentText, what: 'entity-relationship diagrams' },
];

/**
 * `therapy-db docs` / `npm run docs`: regenerates docs/access-matrix.md (from the policy
 * declarations) and docs/schema.md (from the tables and their documentation). With `check`, only
 * reports whether they are up to date. Returns false when one is not (check) .
 */
export function writeGeneratedDocs(options: { log: Logger; check?: boolean }): boolean {
  let upToDate = true;
  for (const document of generatedDocuments) {
    const path = join(packageRoot(), document.path);
    const text = document.render();
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) {
      options.log(`${document.path} is up to date (${document.what})`);
    } else if (options.check) {
      options.log(`${document.path} is out of date: run npm run docs`);
      upToDate = false;
    } else {
      writeFileSync(path, text);
      options.log(`wrote ${document.path} (${document.what})`);
    }
  }
  return upToDate;
}
