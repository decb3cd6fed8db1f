// heartbeat's cl_status command answered from a status snapshot: dispatch, arguments, help.
import type { StatusSnapshot } from '../control/snapshot.js';
import * as answers from './cl-status-answers.js';
import { CODE, fail, type ClStatusResult, type Query } from './cl-status-answers.js';
import { getopt } from './getopt.js';

export type { ClStatusResult } from './cl-status-answers.js';

interface Subcommand {
  /** getopt's option string, as cl_status has it for this sub-command. */
  readonly spec: string;
  readonly synopsis: string;
  /** Operands it needs, named as the synopsis names them. */
  readonly operands: readonly string[];
  readonly about: string;
  readonly run: (query: Query) => ClStatusResult;
}

const NODE = '<node-name>';

// hbstatus is absent: it answers even when heartbeat is not running (see clStatusQuery).
const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  listnodes: {
    spec: 'mpnv',
    synopsis: '[-n|-p] [-v]',
    operands: [],
    about: 'the nodes (-n normal, -p ping only; -v with status, links)',
    run: answers.listnodes,
  },
  nodestatus: {
    spec: 'm',
    synopsis: NODE,
    operands: [NODE],
    about: "a node's status: active, up, init or dead",
    run: answers.nodestatus,
  },
  nodetype: {
    spec: 'm',
    synopsis: NODE,
    operands: [NODE],
    about: "a node's type: normal or ping",
    run: answers.nodetype,
  },
  listhblinks: {
    spec: 'mv',
    synopsis: `[-v] ${NODE}`,
    operands: [NODE],
    about: "a node's heartbeat links (-v with their status)",
    run: answers.listhblinks,
  },
  hblinkstatus: {
    spec: 'm',
    synopsis: `${NODE} <link-name>`,
    operands: [NODE, '<link-name>'],
    about: "a link's status: up or dead",
    run: answers.hblinkstatus,
  },
  rscstatus: {
    spec: 'm',
    synopsis: '',
    operands: [],
    about: 'groups held here: none, local, foreign, all or transition',
    run: answers.rscstatus,
  },
  hbparameter: {
    spec: 'mp:',
    synopsis: '-p <parameter-name>',
    operands: [],
    about: "an ha.cf parameter's value (or heartbeat's default)",
    run: answers.hbparameter,
  },
};

const HBSTATUS = {
  spec: 'mv',
  synopsis: '[-v]',
  about: 'is heartbeat running here? (-v: version, nodes, links)',
};

/** cl_status sub-commands this heartbeat has no data for (API clients, node weights, sites). */
const UNSUPPORTED = new Set(['clientstatus', 'nodeweight', 'nodesite', 'test']);

const USAGE = 'Usage: cl_status <sub-command> [<options>] [<parameters>]';

/** Runs `cl_status ARGS`; `snapshot` is undefined when heartbeat is not running here. */
export function clStatusQuery(
  args: readonly string[],
  snapshot: StatusSnapshot | undefined,
): ClStatusResult {
  const [name, ...rest] = args;
  if (name === undefined || (rest.length === 0 && (name === '-h' || name === '--help'))) {
    return answers.answer(CL_STATUS_HELP);
  }
  if (name === 'hbstatus') {
    const options = getopt(rest, HBSTATUS.spec);
    const result = answers.hbstatus(options, snapshot);
    // cl_status ignores hbstatus's bad options: complain, but answer all the same.
    const bad = options.errors[0];
    const complaint = bad === undefined ? '' : `cl_status hbstatus: ${bad}\n${usage(name)}\n`;
    return { ...result, err: complaint + result.err };
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    const why = UNSUPPORTED.has(name)
      ? `${name} is not supported by this heartbeat`
      : `invalid sub-command "${name}"`;
    return fail(CODE.badParameter, `cl_status: ${why}\n${USAGE}\nTry 'cl_status -h'.\n`);
  }
  // As in cl_status, signing on to heartbeat comes before looking at the arguments.
  if (!snapshot) {
    return fail(CODE.no, 'cl_status: Cannot signon with heartbeat: it is not running here.\n');
  }
  const options = getopt(rest, sub.spec);
  const missing = sub.operands[options.operands.length];
  const problem = options.errors[0] ?? (missing === undefined ? undefined : `missing ${missing}`);
  if (problem !== undefined) {
    return fail(CODE.badParameter, `cl_status ${name}: ${problem}\n${usage(name)}\n`);
  }
  return sub.run({ name, options, human: options.seen.has('m'), snapshot });
}

function usage(name: string): string {
  const synopsis = name === 'hbstatus' ? HBSTATUS.synopsis : (SUBCOMMANDS[name]?.synopsis ?? '');
  return `Usage: cl_status ${name} [-m] ${synopsis}`.trimEnd();
}

function helpText(): string {
  const rows = [['hbstatus', HBSTATUS] as const, ...Object.entries(SUBCOMMANDS)].map(
    ([name, sub]) => [`${name} ${sub.synopsis}`.trimEnd(), sub.about] as const,
  );
  const width = Math.max(...rows.map(([synopsis]) => synopsis.length));
  return [
    USAGE,
    '',
    "Answers questions about this machine's heartbeat: plain values for scripts, sentences",
    'with -m. Node names are case-insensitive; link and parameter names are not.',
    '',
    'Sub-commands:',
    ...rows.map(([synopsis, about]) => `  ${synopsis.padEnd(width)}  ${about}`),
    '',
    'Options:',
    '  -m  human-readable output (every sub-command)',
    '  -h  this help (alone)',
    '',
    'Exit status: 0 yes; 1 no (node not active or up, link dead, parameter unset, heartbeat',
    'not running); 11 bad sub-command or arguments, unknown node; 13 unknown node or link in',
    'listhblinks and hblinkstatus.',
    '',
  ].join('\n');
}

/** The full `cl_status -h` text, ending in a newline. */
export const CL_STATUS_HELP = helpText();
