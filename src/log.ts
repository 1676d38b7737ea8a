/** Where the library writes its progress lines (`applied 0003_x.sql in 41 ms`). */
export type Logger = (line: string) => void;

/** Progress goes to stderr so a command's real output (tables, JSON) stays clean on stdout. */
export const stderrLogger: Logger = (line) => process.stderr.write(`${line}\n`);

export const silentLogger: Logger = () => {};
