// A user's uid and primary gid as the system knows it (local files, LDAP and the rest through NSS).
import { execa } from 'execa';

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

export async function lookUpUser(name: string): Promise<UserIds | undefined> {
  const result = await execa('getent', ['passwd', name], { reject: false, timeout: 5000 });
  const [, , uid, gid] = result.stdout.split('\n')[0]?.split(':') ?? [];
  if (result.exitCode !== 0 || uid === undefined || gid === undefined) return undefined;
  return { uid: Number(uid), gid: Number(gid) };
}
