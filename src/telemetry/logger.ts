/** Structured JSON logs (pino). Anything that may carry a secret is redacted by key, whatever the call site. */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'password', 'secret', 'token', 'apiKey', 'authorization', 'newPassword', 'oldPassword',
  '*.password', '*.secret', '*.token', '*.apiKey', '*.authorization', '*.newPassword', '*.oldPassword',
  'req.headers.authorization', 'req.headers["auth-pass"]', 'req.headers["x-api-key"]', 'req.headers.cookie',
  'headers.authorization', 'headers["auth-pass"]', 'headers["x-api-key"]', 'headers.cookie',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  const config = { level: options.level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'portcullis' } };
  return options.destination ? pino(config, options.destination as pino.DestinationStream) : pino(config);
}
