// The faults a chaos iteration draws from, each as likely as the others (those that need a STONITH
// device only when one is configured).
import type { Fault } from './fault.js';
import { killService, monitorFails, startFails } from './faults-agent.js';
import { fenceFails } from './faults-fencing.js';
import { cutLink, packetLoss } from './faults-network.js';
import { crash, freeze, killDaemon, stopStart } from './faults-node.js';
import { rotateKey, standby, takeover } from './faults-operator.js';

export const FAULTS: readonly Fault[] = [
  crash,
  killDaemon,
  freeze,
  stopStart,
  cutLink,
  packetLoss,
  standby,
  takeover,
  rotateKey,
  killService,
  startFails,
  monitorFails,
  fenceFails,
];
