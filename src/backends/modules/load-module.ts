/**
 * Loads a customer module at start-up and checks its shape, so a mistake stops Portcullis with a
 * message naming the configuration key and the module path, not at the first login.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleUpstreamConfig } from '../../config/sections/backends.js';
import type { Logger } from '../../telemetry/logger.js';
import type { BackendFactory, CustomerBackend } from '../api.js';
import { BackendConfigError } from '../errors.js';

/** `key` is the configuration path of the entry, e.g. backends.upstreams[2]. */
export async function loadCustomerModule(c: ModuleUpstreamConfig, key: string, log: Logger, cwd = process.cwd()): Promise<CustomerBackend> {
  const factory = await importFactory(c, key, cwd);
  let backend: unknown;
  try {
    backend = await factory(c.options, { name: c.name, log: log.child({ backend: c.name }) });
  } catch (err) {
    throw new BackendConfigError(`${key}.options`, `${c.module}: ${c.export}() failed: ${(err as Error).message ?? String(err)}`);
  }
  return checkShape(backend, `${key}.module`, `${c.module}: ${c.export}() returned`);
}

async function importFactory(c: ModuleUpstreamConfig, key: string, cwd: string): Promise<BackendFactory> {
  const local = c.module.startsWith('.') || isAbsolute(c.module);
  const path = local ? resolve(cwd, c.module) : c.module;
  if (local && !existsSync(path)) throw new BackendConfigError(`${key}.module`, `module ${path} not found`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(local ? pathToFileURL(path).href : path)) as Record<string, unknown>;
  } catch (err) {
    throw new BackendConfigError(`${key}.module`, `cannot load ${path}: ${(err as Error).message ?? String(err)}`);
  }
  const factory = mod[c.export];
  if (typeof factory !== 'function') {
    const found = Object.keys(mod).join(', ') || 'nothing';
    throw new BackendConfigError(`${key}.export`, `${path} has no function export "${c.export}" (it exports: ${found})`);
  }
  return factory as BackendFactory;
}

/** A backend must have verify(); lookup, list and close are optional but must be functions. */
export function checkShape(value: unknown, key: string, what: string): CustomerBackend {
  if (typeof value !== 'object' || value === null) throw new BackendConfigError(key, `${what} ${value === null ? 'null' : typeof value}, expected an object with verify()`);
  const record = value as Record<string, unknown>;
  if (typeof record.verify !== 'function') throw new BackendConfigError(key, `${what} an object without a verify(login, password, ctx) method`);
  for (const optional of ['lookup', 'list', 'close']) {
    if (record[optional] !== undefined && typeof record[optional] !== 'function') throw new BackendConfigError(key, `${what} an object whose ${optional} is not a function`);
  }
  return value as CustomerBackend;
}
