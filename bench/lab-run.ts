// Runs a benchmark's body in a fresh failover lab and removes the lab (namespaces, processes, files)
// when the body ends, fails, or the process gets SIGINT or SIGTERM (then it exits 130 or 143).
import { FailoverLab, type FailoverOptions } from '../test/helpers/failover-lab.js';

const EXIT_CODE_OF: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export async function withFailoverLab<T>(
  options: FailoverOptions,
  body: (lab: FailoverLab) => Promise<T>,
): Promise<T> {
  let creating: Promise<FailoverLab> | undefined;
  let removing: Promise<void> | undefined;
  const remove = (): Promise<void> =>
    (removing ??= (async () => {
      const lab = await creating?.catch(() => undefined);
      await lab?.destroy();
    })());
  // `on`, not `once`: execa's exit hook re-raises a signal that has no other listener left.
  const interrupted = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal}: removing the lab\n`);
    void remove().finally(() => process.exit(EXIT_CODE_OF[signal] ?? 1));
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    creating = FailoverLab.create(options);
    const lab = await creating;
    process.stderr.write(`lab ${lab.lab.prefix}, files in ${lab.root}\n`);
    return await body(lab);
  } finally {
    await remove();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}
