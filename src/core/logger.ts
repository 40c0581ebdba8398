/**
 * Injectable logger for recoverable problems. Library code never writes to the console directly;
 * the CLI installs a stderr logger, tests install a collecting one.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

let current: Logger = consoleLogger;

/** The logger used when a function is given none. */
export function defaultLogger(): Logger {
  return current;
}

/** Replace the process-wide default logger; returns the previous one. */
export function setDefaultLogger(logger: Logger): Logger {
  const prev = current;
  current = logger;
  return prev;
}

/** A logger that records messages, for tests and for reports. */
export function collectingLogger(): Logger & { messages: { level: 'info' | 'warn'; message: string }[] } {
  const messages: { level: 'info' | 'warn'; message: string }[] = [];
  return {
    messages,
    info: (message) => messages.push({ level: 'info', message }),
    warn: (message) => messages.push({ level: 'warn', message }),
  };
}
