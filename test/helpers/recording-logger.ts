/** One line a {@link RecordingLogger} was given. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps its lines for a test to read (the subset of Powertools' Logger the code uses). */
export class RecordingLogger {
  readonly lines: LoggedLine[] = [];
  debug = (message: string, fields: Record<string, unknown> = {}) => this.keep('debug', message, fields);
  info = (message: string, fields: Record<string, unknown> = {}) => this.keep('info', message, fields);
  warn = (message: string, fields: Record<string, unknown> = {}) => this.keep('warn', message, fields);
  error = (message: string, fields: Record<string, unknown> = {}) => this.keep('error', message, fields);
  /** It keeps every level, debug included (code that skips debug work below the level asks). */
  getLevelName = (): 'DEBUG' => 'DEBUG';

  /** The lines whose message contains `text`. */
  find(text: string): LoggedLine[] {
    return this.lines.filter((l) => l.message.includes(text));
  }

  private keep(level: LoggedLine['level'], message: string, fields: Record<string, unknown>): void {
    this.lines.push({ level, message, fields });
  }
}
