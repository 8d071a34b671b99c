import { readFileSync } from 'node:fs';
import { packageFile } from './core/package-files.js';

/** codesuite's version, from package.json at the package root (found from src/, dist/ or a bundle chunk alike). */
export const VERSION: string = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
