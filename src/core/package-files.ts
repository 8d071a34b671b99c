import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * A data file shipped with codesuite (`models/…`, `data/…`), found from the package root upwards
 * of this module, so it resolves whether codesuite runs from src/, from dist/ or from a bundle.
 */
export function packageFile(relativePath: string): string {
  root ??= findRoot();
  return join(root, relativePath);
}

function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'models', 'codecommit.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('codesuite: the models/ directory of service models is missing');
  }
}
