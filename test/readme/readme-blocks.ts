import { spawnSync } from 'node:child_process';

/**
 * The README's shell examples as the README test runs them. Conventions, which the README's
 * Development section states:
 * - Every ```sh block runs, in order, in one bash session (so `cd` and `export` carry over).
 * - `<!-- readme-test: skip REASON -->` before a block: it is not run (installing, starting the
 *   server the test starts itself).
 * - `<!-- readme-test: requires docker -->` before a block: it runs where a Docker engine answers.
 * - `<!-- readme-test: server FLAGS -->` before a block: the server is (re)started on the same data
 *   directory with these flags, as a user restarting `npm start -- FLAGS` would.
 * - A command followed by comment lines that start with `#   ` shows (part of) what it prints; the
 *   test checks that each line's pieces, split at `...`, appear in the output (whitespace ignored). A shown
 *   `An error occurred`, or a line starting `(fails)`, means the command must fail.
 */
export interface ReadmeCommand {
  /** The command as written, possibly several lines long. */
  text: string;
  /** Line of the README where it starts (1-based), for failure messages. */
  line: number;
  /** Pieces its output must contain. */
  expect: string[];
  mustFail: boolean;
}

export interface ReadmeBlock {
  line: number;
  skip?: string;
  /** Something the block needs that a machine may lack (`docker`): without it the test skips the block, and says so. */
  requires?: string;
  /** Flags to (re)start the server with before this block. */
  serverFlags?: string[];
  commands: ReadmeCommand[];
}

const DIRECTIVE = /^<!--\s*readme-test:\s*(skip|server|requires)\b\s*(.*?)\s*-->$/;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  let pending: Pick<ReadmeBlock, 'skip' | 'serverFlags' | 'requires'> = {};
  for (let i = 0; i < lines.length; i++) {
    const directive = DIRECTIVE.exec(lines[i].trim());
    if (directive) {
      if (directive[1] === 'skip') pending.skip = directive[2] || 'not run';
      else if (directive[1] === 'requires') pending.requires = directive[2];
      else pending.serverFlags = directive[2].split(/\s+/).filter(Boolean);
      continue;
    }
    if (!/^```sh\s*$/.test(lines[i])) continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ line: start, ...pending, commands: splitCommands(body, start + 1) });
    pending = {};
  }
  return blocks;
}

/** Whether bash can parse `text` as complete commands (no open quote, continuation or compound). */
function complete(text: string): boolean {
  // An unfinished here-document is only a warning to bash -n: anything on stderr means incomplete.
  const check = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
  return check.status === 0 && check.stderr === '' && !/\\\s*$/.test(text);
}

function splitCommands(body: string[], firstLine: number): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let current: string[] = [];
  let currentLine = 0;
  for (let j = 0; j < body.length; j++) {
    const line = body[j];
    if (current.length === 0) {
      if (/^\s*(#.*)?$/.test(line)) continue; // blank lines and comments between commands
      currentLine = firstLine + j;
    }
    current.push(line);
    const text = current.join('\n');
    if (!complete(text)) continue;
    const expect: string[] = [];
    while (j + 1 < body.length && /^#   /.test(body[j + 1])) expect.push(body[++j].slice(4).trim());
    commands.push({
      text,
      line: currentLine,
      expect: expect
        .flatMap((shown) => shown.replace(/^\(fails\)/, '').split('...'))
        .map((s) => s.trim().replace(/,$/, ''))
        .filter(Boolean),
      mustFail: expect.some((shown) => shown.includes('An error occurred') || shown.startsWith('(fails)')),
    });
    current = [];
  }
  if (current.length) throw new Error(`README line ${currentLine}: an unfinished command: ${current.join('\n')}`);
  return commands;
}
