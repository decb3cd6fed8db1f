// One haresources entry: `Script::a::b`, or a bare IPv4 address meaning `IPaddr::address`.
import { parseIpaddrArgument } from './ipaddr-argument.js';

export interface ResourceSpec {
  /** The entry as written in haresources. */
  readonly text: string;
  readonly script: string;
  readonly args: string[];
}

const BARE_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}(\/|$)/;
const SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** Parses an entry, returning an error message instead when it cannot name a runnable agent. */
export function parseResourceSpec(text: string): ResourceSpec | { error: string; hint?: string } {
  if (BARE_ADDRESS.test(text)) return withIpaddrCheck({ text, script: 'IPaddr', args: [text] });
  const [script = '', ...args] = text.split('::');
  if (!SCRIPT_NAME.test(script)) {
    return {
      error: `resource "${text}": "${script}" is not a resource script name`,
      hint: 'write Script or Script::arg1::arg2 (a script in resource.d or /etc/init.d)',
    };
  }
  if (args.includes('')) {
    return {
      error: `resource "${text}" has an empty argument`,
      hint: 'arguments are separated by "::" and cannot be empty',
    };
  }
  return script === 'IPaddr' || script === 'IPaddr2'
    ? withIpaddrCheck({ text, script, args })
    : { text, script, args };
}

function withIpaddrCheck(spec: ResourceSpec): ResourceSpec | { error: string; hint?: string } {
  const [argument, ...extra] = spec.args;
  if (argument === undefined) {
    return {
      error: `resource "${spec.text}": ${spec.script} needs an address`,
      hint: `write ${spec.script}::192.0.2.10/24/eth0`,
    };
  }
  if (extra.length > 0) {
    return {
      error: `resource "${spec.text}": ${spec.script} takes one argument, ip[/cidr[/nic[/broadcast]]]`,
    };
  }
  const parsed = parseIpaddrArgument(argument);
  return 'error' in parsed
    ? {
        error: `resource "${spec.text}": ${parsed.error}`,
        hint: 'the form is ip[/cidr[/nic[/broadcast]]], e.g. 192.0.2.10/24/eth0',
      }
    : spec;
}

/** Agents whose start, for an address already up, only announces it again (gratuitous ARP). */
const ADDRESS_AGENTS = new Set(['IPaddr', 'IPaddr2', 'SendArp']);

/** Whether a resource is an address that a re-announcement (a healed partition) sends ARP for. */
export function announcesAddress(spec: ResourceSpec): boolean {
  return ADDRESS_AGENTS.has(spec.script);
}

/** Resources that are the same agent with the same arguments (a bare address is IPaddr). */
export function resourceKey(spec: ResourceSpec): string {
  return [spec.script, ...spec.args].join('::');
}
