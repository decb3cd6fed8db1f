// The daemon's logger: heartbeat's destinations (logfile, debugfile, syslog, console) and formats.
import { hostname } from 'node:os';
import winston from 'winston';
import type TransportStream from 'winston-transport';
import { FileTransport } from './file-transport.js';
import { LEVELS, type Level } from './levels.js';
import { classicLine, syslogBody, syslogStyleLine } from './line-format.js';
import { SyslogTransport } from './syslog-transport.js';

export interface LogDestinations {
  readonly logfile?: string;
  readonly debugfile?: string;
  readonly facility?: string;
  /** Files in syslog's line format (heartbeat's `syslogmsgfmt`) instead of the classic one. */
  readonly syslogFormat: boolean;
  readonly debugLevel: number;
  /** Also print to stderr (foreground runs). */
  readonly console: boolean;
  readonly syslogSocket?: string;
}

export interface Log {
  log(level: Level, message: string): void;
  readonly debugLevel: number;
  setDebugLevel(level: number): void;
  /** Starts new log files at the same paths (after rotation). */
  reopen(): Promise<void>;
  /** Writes out everything logged so far; the logger must not be used afterwards. */
  close(): Promise<void>;
}

const formatter = (render: (level: Level, message: string) => string): winston.Logform.Format =>
  winston.format((info) => {
    info[Symbol.for('message')] = render(info.level as Level, String(info.message));
    return info;
  })();

export interface LogProcess {
  readonly pid: number;
  /** Where trouble with a destination is reported (stderr by default). */
  readonly reportError: (line: string) => void;
}

const THIS_PROCESS: LogProcess = {
  pid: process.pid,
  reportError: (line) => process.stderr.write(line),
};

export function createLog(destinations: LogDestinations, owner: Partial<LogProcess> = {}): Log {
  const { pid, reportError } = { ...THIS_PROCESS, ...owner };
  const host = hostname();
  const reported = new Set<string>();
  // A broken destination is reported once on stderr, never thrown at the caller.
  const onError = (error: Error): void => {
    if (reported.has(error.message)) return;
    reported.add(error.message);
    reportError(`heartbeat[${pid}]: ERROR: ${error.message}\n`);
  };
  const fileFormat = formatter((level, message) =>
    destinations.syslogFormat
      ? syslogStyleLine(pid, new Date(), host, level, message)
      : classicLine(pid, new Date(), level, message),
  );
  const files: FileTransport[] = [];
  if (destinations.logfile)
    files.push(new FileTransport({ path: destinations.logfile, level: 'info', onError }));
  if (destinations.debugfile)
    files.push(new FileTransport({ path: destinations.debugfile, level: 'debug', onError }));
  for (const file of files) file.format = fileFormat;
  const syslog = destinations.facility
    ? new SyslogTransport({
        facility: destinations.facility,
        ...(destinations.syslogSocket === undefined ? {} : { socket: destinations.syslogSocket }),
        onError,
      })
    : undefined;
  if (syslog) syslog.format = formatter((level, message) => syslogBody(pid, level, message));
  const consoleTransport = destinations.console
    ? new winston.transports.Console({
        stderrLevels: Object.keys(LEVELS),
        format: formatter((level, message) => classicLine(pid, new Date(), level, message)),
      })
    : undefined;
  const transports: TransportStream[] = [
    ...files,
    ...(syslog ? [syslog] : []),
    ...(consoleTransport ? [consoleTransport] : []),
  ];
  let debugLevel = destinations.debugLevel;
  const logger = winston.createLogger({
    levels: LEVELS,
    level: 'debug',
    // winston types its Console transport as an interface over TransportStream, which this rule misreads.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    transports,
    exitOnError: false,
  });
  return {
    log(level, message) {
      // Transports carry their own levels, so debug records are gated here, as heartbeat does.
      if (level === 'debug' && debugLevel === 0) return;
      logger.log(level, message);
    },
    get debugLevel() {
      return debugLevel;
    },
    setDebugLevel(level) {
      debugLevel = Math.max(0, Math.min(255, level));
    },
    async reopen() {
      await Promise.all(files.map((f) => f.reopen()));
    },
    async close() {
      const finished = transports.map((t) => new Promise((resolve) => t.once('finish', resolve)));
      logger.end();
      await Promise.all(finished);
      await Promise.all([...files.map((f) => f.flush()), syslog?.flush()]);
    },
  };
}
