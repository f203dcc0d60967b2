/** What every CLI command shares: the configuration, the app (opened on first use), output and secret input. */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Actor } from '../identity/service.js';
import { createLogger } from '../telemetry/logger.js';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

export class CliContext {
  private app: App | null = null;

  constructor(readonly options: GlobalOptions) {}

  /** --config, else $PORTCULLIS_CONFIG, else ./portcullis.yaml when present, else embedded defaults. */
  configFile(): string | undefined {
    if (this.options.config) return this.options.config;
    if (process.env['PORTCULLIS_CONFIG']) return process.env['PORTCULLIS_CONFIG'];
    return existsSync('portcullis.yaml') ? 'portcullis.yaml' : undefined;
  }

  config(): Config {
    return loadConfig({ file: this.configFile() });
  }

  /**
   * Opens the app. Commands log quietly (warnings to stderr: their output is for people); a server
   * logs at the configured level to stdout.
   */
  async open(options: { server?: boolean; pushOut?: boolean } = {}): Promise<App> {
    if (!this.app) {
      const config = this.config();
      const log = options.server ? createLogger({ level: config.log.level }) : createLogger({ level: 'warn', destination: process.stderr });
      this.app = await createApp(config, { log, pushOut: options.pushOut ?? true });
    }
    return this.app;
  }

  async close(): Promise<void> {
    await this.app?.close();
    this.app = null;
  }

  actor(): Actor {
    return { actor: `cli:${safeUser()}`, source: 'cli' };
  }

  /** Prints JSON with --json, the human text otherwise. */
  print(data: unknown, human: () => string): void {
    process.stdout.write(this.options.json ? JSON.stringify(data, null, 2) + '\n' : human() + '\n');
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
