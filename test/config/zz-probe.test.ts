// probe
import { it } from 'vitest';
import { parseDuration } from '../../src/config/time.js';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseHaCf } from '../../src/config/hacf/parse.js';
import { parseAuthkeys } from '../../src/config/authkeys.js';
it('probe', () => {
  for (const t of ['1', '1.', '1.ms', '.5', '1.5m', '1.5S', '0.0005', '2000us', '10sec', '1e3', '', 'ms', '1..5', '.'])
    console.log(JSON.stringify(t), parseDuration(t));
  const d = new Diagnostics();
  const h = parseHaCf('node alpha beta\nucast lo 10.0.0.1\nnice_failback on\n', 'ha.cf', d);
  console.log(h.autoFailback, d.all);
  const d2 = new Diagnostics();
  parseAuthkeys('auth 1 sha1 SECRETX\n1 sha1 k\n1 sha1SECRETY\n', 'ak', 0o600, d2);
  console.log(d2.all);
});
