// IPaddr run through the address helper: start, stop and status decided as resource.d/IPaddr does
// (ipaddr-plan), the address added or removed and the first gratuitous ARP sent with no process
// started, then heartbeat's ARP rhythm (10 rounds 500 ms apart, a request then a reply 250 ms
// later) from the daemon's timers. Anything the helper cannot do is left to the agent script.
import type { AgentOperation, AgentResult } from '../../cluster/types.js';
import { parseIpaddrArgument, type IpaddrArgument } from '../../config/ipaddr-argument.js';
import type { ResourceSpec } from '../../config/resource-spec.js';
import type { Level } from '../../log/levels.js';
import type { AgentLog } from '../agent-runner.js';
import type { AddressHelper } from './address-helper.js';
import { findAddress, parseListing, planStart, type ListedAddress } from './ipaddr-plan.js';

const ARP_HALF_INTERVAL_MS = 250;
/** 10 rounds of a request and a reply. */
const ARP_PACKETS = 20;
const ARP_TIMEOUT_MS = 1000;
/** Said in every result's detail, so status and tests tell which way an operation ran. */
const BY = ' (address helper)';

export class HelperIpaddr {
  /** The next ARP packet's timer, by address: a stop cancels it. */
  private readonly announcing = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly helper: AddressHelper,
    private readonly log: AgentLog,
  ) {}

  /** The operation's result, or undefined when the agent script must run it instead. */
  async run(
    spec: ResourceSpec,
    operation: AgentOperation,
    timeoutMs: number,
    path: string,
  ): Promise<AgentResult | undefined> {
    const argument = spec.args.length === 1 ? parseIpaddrArgument(spec.args[0] ?? '') : undefined;
    // A bad argument is the script's to explain.
    if (!argument || 'error' in argument) return undefined;
    const [listing] = (await this.helper.ask(['list'], timeoutMs)) ?? [];
    const listed = listing?.ok ? parseListing(listing.text) : undefined;
    if (!listed) {
      if (listing) this.log('warn', `address helper cannot list addresses: ${listing.text}`);
      return undefined;
    }
    this.log(
      operation === 'status' ? 'debug' : 'info',
      `Running ${[path, ...spec.args, operation].join(' ')}`,
    );
    const say = (level: Level, text: string): void =>
      this.log(level, `${spec.script}(${spec.text}): ${text}`);
    if (operation === 'status') return status(argument, listed, say);
    if (operation === 'stop') return this.stop(argument, listed, say, timeoutMs);
    return this.start(argument, listed, say, timeoutMs);
  }

  private async start(
    argument: IpaddrArgument,
    listed: readonly ListedAddress[],
    say: Say,
    timeoutMs: number,
  ): Promise<AgentResult | undefined> {
    const { address } = argument;
    const plan = planStart(argument, listed);
    if (plan.kind === 'unconfigured') {
      say('error', `ERROR: ${plan.reason}`);
      return { operation: 'start', ok: false, detail: 'exit 6: program is not configured' };
    }
    const dev = plan.kind === 'present' ? plan.found.dev : plan.dev;
    const requests = [`arp ${dev} ${address} request`];
    if (plan.kind === 'add') {
      const { prefix, broadcast = '-', label = '-' } = plan;
      requests.unshift(`add ${dev} ${address} ${prefix} ${broadcast} ${label}`);
    }
    const replies = await this.helper.ask(requests, timeoutMs);
    if (!replies) return undefined;
    const [added, arp] = plan.kind === 'add' ? replies : [undefined, ...replies];
    if (plan.kind === 'add' && !added?.ok) {
      say('error', `ERROR: cannot add ${address}/${plan.prefix} to ${dev}: ${added?.text ?? ''}`);
      return { operation: 'start', ok: false, detail: 'exit 1: generic or unspecified error' };
    }
    if (plan.kind === 'present') say('info', `INFO:  ${address} is already on ${plan.found.label}`);
    clearTimeout(this.announcing.get(address));
    if (arp?.ok) this.announceLater(dev, address, 1);
    else say('warn', `gratuitous ARP for ${address} on ${dev} failed: ${arp?.text ?? ''}`);
    say('info', 'INFO:  Success');
    return { operation: 'start', ok: true, detail: `exit 0: success${BY}` };
  }

  private async stop(
    argument: IpaddrArgument,
    listed: readonly ListedAddress[],
    say: Say,
    timeoutMs: number,
  ): Promise<AgentResult | undefined> {
    const { address } = argument;
    clearTimeout(this.announcing.get(address));
    this.announcing.delete(address);
    const found = findAddress(address, listed);
    if (found) {
      const replies = await this.helper.ask(
        [`del ${found.dev} ${address} ${found.prefix}`],
        timeoutMs,
      );
      if (!replies) return undefined;
      const [removed] = replies;
      if (!removed?.ok) {
        say('error', `ERROR: cannot remove ${address} from ${found.dev}: ${removed?.text ?? ''}`);
        return { operation: 'stop', ok: false, detail: 'exit 1: generic or unspecified error' };
      }
    }
    say('info', 'INFO:  Success');
    return { operation: 'stop', ok: true, detail: `exit 0: success${BY}` };
  }

  /** The rest of heartbeat's rhythm after packet `sent` - 1; a packet the helper misses is skipped. */
  private announceLater(dev: string, address: string, sent: number): void {
    if (sent >= ARP_PACKETS) {
      this.announcing.delete(address);
      return;
    }
    const timer = setTimeout(() => {
      const kind = sent % 2 === 1 ? 'reply' : 'request';
      void this.helper.ask([`arp ${dev} ${address} ${kind}`], ARP_TIMEOUT_MS);
      this.announceLater(dev, address, sent + 1);
    }, ARP_HALF_INTERVAL_MS);
    timer.unref();
    this.announcing.set(address, timer);
  }
}

type Say = (level: Level, text: string) => void;

function status(argument: IpaddrArgument, listed: readonly ListedAddress[], say: Say): AgentResult {
  const found = findAddress(argument.address, listed);
  if (found) {
    say('debug', `INFO:  Running OK: ${argument.address} is running on ${found.label}`);
    return { operation: 'status', state: 'running', detail: `exit 0: program is running${BY}` };
  }
  say('debug', `INFO:  Resource is stopped: ${argument.address} is not running`);
  return { operation: 'status', state: 'stopped', detail: `exit 3: program is not running${BY}` };
}
