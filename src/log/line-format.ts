// Heartbeat's log line shapes: `heartbeat[PID]: 2026/11/21_10:31:37 info: text` and the syslog body.
import { LEVEL_LABEL, type Level } from './levels.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time as heartbeat stamps it: 2026/11/21_10:31:37. */
export function timestamp(date: Date): string {
  const day = `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day}_${time}`;
}

export function fileLine(pid: number, date: Date, level: Level, message: string): string {
  return `heartbeat[${pid}]: ${timestamp(date)} ${LEVEL_LABEL[level]}: ${message}`;
}

/** The message part of a syslog record; syslog adds the time, host and `heartbeat:` tag. */
export function syslogBody(pid: number, level: Level, message: string): string {
  return `[${pid}]: ${LEVEL_LABEL[level]}: ${message}`;
}
