import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { packageRoot } from '../paths';
import { ACCESS_MATRIX_PATH, accessMatrixDocument, allAccess } from '../policies';

/** `therapy-db docs` / `npm run docs:access`: regenerates docs/access-matrix.md from the policy declarations. */
export function writeAccessMatrix(options: { log: Logger; check?: boolean }): boolean {
  const path = join(packageRoot(), ACCESS_MATRIX_PATH);
  const text = accessMatrixDocument(allAccess);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) {
    options.log(`${ACCESS_MATRIX_PATH} is up to date (${allAccess.length} tables)`);
    return true;
  }
  if (options.check) {
    options.log(`${ACCESS_MATRIX_PATH} is out of date: run npm run docs:access`);
    return false;
  }
  writeFileSync(path, text);
  options.log(`wrote ${ACCESS_MATRIX_PATH} (${allAccess.length} tables)`);
  return true;
}
