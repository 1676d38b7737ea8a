import { renderAccessMatrixMarkdown, toAccessMatrix, type TableAccess } from './dsl';

/** Where `npm run docs:access` writes the access matrix, relative to the package root. */
export const ACCESS_MATRIX_PATH = 'docs/access-matrix.md';

/**
 * The access-matrix document (`docs/access-matrix.md`): persona × table × operation, then every
 * table's rules, compiled policies and grants. A pure function of the declarations, so a test can
 * regenerate it and compare it with the committed file.
 */
export function accessMatrixDocument(accessList: readonly TableAccess[]): string {
  return renderAccessMatrixMarkdown(toAccessMatrix(accessList), { title: 'Access matrix: who may do what on which rows' });
}
