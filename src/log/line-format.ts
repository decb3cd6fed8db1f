// Heartbeat's log line shapes: classic `heartbeat[PID]: 2026/11/21_10:31:37 info: text`, syslog-style, and the syslog body.
import { LEVEL_LABEL, type Level } from './levels.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');
const clock = (date: Date): string =>
  `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

/** Local time as heartbeat stamps it: 2026/11/21_10:31:37. */
export function timestamp(date: Date): string {
  return `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())}_${clock(date)}`;
}

/** One record is one line: line breaks inside a message would split it for every log reader. */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced here
  return message.replace(/\r?\n/g, ' | ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
}

export function classicLine(pid: number, date: Date, level: Level, message: string): string {
  return `heartbeat[${pid}]: ${timestamp(date)} ${LEVEL_LABEL[level]}: ${oneLine(message)}`;
}

/** The shape heartbeat writes to files with `syslogmsgfmt on`: `Nov 21 10:31:37 host heartbeat: [PID]: info: text`. */
export function syslogStyleLine(
  pid: number,
  date: Date,
  host: string,
  level: Level,
  message: string,
): string {
  const stamp = `${MONTHS[date.getMonth()] ?? '???'} ${pad(date.getDate())} ${clock(date)}`;
  return `${stamp} ${host} heartbeat: ${syslogBody(pid, level, message)}`;
}

/** The message part of a syslog record; syslog adds the time, host and `heartbeat:` tag. */
export function syslogBody(pid: number, level: Level, message: string): string {
  return `[${pid}]: ${LEVEL_LABEL[level]}: ${oneLine(message)}`;
}
