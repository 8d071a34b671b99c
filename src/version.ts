import { readFileSync } from 'node:fs';

/**
 * codesuite's version, from package.json. Read beside the running module: src/ under tsx and
 * dist/ (bundled or not) both sit one level below the package root, and a JSON import would
 * reach outside the build's rootDir.
 */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
