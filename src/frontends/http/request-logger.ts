/**
 * Fastify gives every request its own child logger, and pino's child() serialises and redacts the
 * bindings: several µs per request, though almost no auth request ever logs through it. So the
 * child is made on first use: a call at a level the parent has off costs nothing; any other call
 * makes the very child Fastify would have made (same bindings, same options) and logs through it.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString, Logger } from 'pino';

export class LazyRequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): LevelWithSilentOrString {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.real().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  fatal(obj: unknown, ...rest: unknown[]): void {
    if (this.wants('fatal')) this.real().fatal(obj, ...(rest as [string]));
  }

  error(obj: unknown, ...rest: unknown[]): void {
    if (this.wants('error')) this.real().error(obj, ...(rest as [string]));
  }

  warn(obj: unknown, ...rest: unknown[]): void {
    if (this.wants('warn')) this.real().warn(obj, ...(rest as [string]));
  }

  info(obj: unknown, ...rest: unknown[]): void {
    if (this.wants('info')) this.real().info(obj, ...(rest as [string]));
  }

  debug(obj: unknown, ...rest: unknown[]): void {
    if (this.wants('debug')) this.real().debug(obj, ...(rest as [string]));
  }

  trace(obj: unknown, ...rest: unknown[]): void {
    if (this.wants('trace')) this.real().trace(obj, ...(rest as [string]));
  }

  silent(): void {}

  /** A child with its own level (a route's logLevel) decides itself; otherwise it inherits the parent's. */
  private wants(level: Level): boolean {
    return this.made !== null || this.options.level !== undefined || this.parent.isLevelEnabled(level);
  }

  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }
}

/** Fastify's childLoggerFactory: a lazy child per request instead of a real one. */
export function lazyChildLoggerFactory(parent: Logger) {
  return (_logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger => new LazyRequestLogger(parent, bindings, options);
}
