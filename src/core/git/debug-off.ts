// Stands in for the `debug` package inside the editor bundle. simple-git logs through `debug`,
// which Lifeline never switches on (DEBUG=simple-git would only write to the extension host's
// stderr); the real package and its two dependencies are a tenth of the bundle's third-party
// code. The CLI keeps the real one, so `DEBUG=simple-git lifeline diagnose` still traces git.
interface Logger {
  (...args: unknown[]): void;
  namespace: string;
  enabled: boolean;
  extend(namespace: string): Logger;
}

function debug(namespace: string): Logger {
  const log = Object.assign(() => undefined, {
    namespace,
    enabled: false,
    extend: (child: string) => debug(`${namespace}:${child}`),
  });
  return log;
}

/** simple-git registers its own %-formatters here. */
debug.formatters = {} as Record<string, (value: unknown) => string>;

export default debug;
