// Logging directives: logfile, debugfile, logfacility, debug, syslogmsgfmt.
import { SYSLOG_FACILITY } from '../../log/levels.js';
import {
  markSet,
  parseBooleanValue,
  parseIntegerIn,
  singleValue,
  type DirectiveHandler,
} from './draft.js';

/** The facility names heartbeat accepts (glibc's list, without the internal `mark`). */
export const SYSLOG_FACILITIES = Object.keys(SYSLOG_FACILITY);

/** logfile/debugfile: an absolute path; /dev/null turns the file off. */
function fileHandler(key: 'logfile' | 'debugfile'): DirectiveHandler {
  return (line, draft, diag) => {
    const path = singleValue(
      line,
      diag,
      `${key} /var/log/ha-${key === 'logfile' ? 'log' : 'debug'}`,
    );
    if (path === undefined) return;
    if (!path.startsWith('/')) {
      diag.error(
        line.at,
        `${key} "${path}" must be an absolute path`,
        'the daemon runs from /, so a relative path would be ambiguous',
      );
      return;
    }
    markSet(line, draft, diag);
    draft[key] = path.toLowerCase() === '/dev/null' ? null : path;
  };
}

const logfacility: DirectiveHandler = (line, draft, diag) => {
  const name = singleValue(line, diag, 'logfacility local0');
  if (name === undefined) return;
  if (name !== 'none' && !SYSLOG_FACILITIES.includes(name)) {
    diag.error(
      line.at,
      `Log facility(${name}) not valid`,
      `use none or one of: ${SYSLOG_FACILITIES.join(' ')}`,
    );
    return;
  }
  markSet(line, draft, diag);
  // heartbeat treats kern (facility 0) like none: no syslog.
  if (name === 'kern')
    diag.warn(
      line.at,
      'logfacility kern means no syslog, as in heartbeat',
      'use daemon or local0..local7',
    );
  draft.facility = name === 'none' || name === 'kern' ? null : name;
};

const debug: DirectiveHandler = (line, draft, diag) => {
  const level = parseIntegerIn(line, diag, 0, 255, 'a debug level');
  if (level === undefined) return;
  markSet(line, draft, diag);
  draft.debugLevel = level;
};

const syslogmsgfmt: DirectiveHandler = (line, draft, diag) => {
  const value = parseBooleanValue(line, diag, 'syslogmsgfmt off');
  if (value === undefined) return;
  markSet(line, draft, diag);
  draft.syslogFormat = value;
};

export const loggingDirectives: Record<string, DirectiveHandler> = {
  logfile: fileHandler('logfile'),
  debugfile: fileHandler('debugfile'),
  logfacility,
  debug,
  syslogmsgfmt,
};
