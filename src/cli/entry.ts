/**
 * Process entry of the portcullis command. Password hashing runs on libuv's thread pool, which is
 * sized once, at its first use: size it before anything is imported, to the CPUs plus room for
 * file and DNS work.
 */
import { availableParallelism } from 'node:os';

process.env['UV_THREADPOOL_SIZE'] ??= String(Math.max(4, availableParallelism() + 2));

const { main } = await import('./main.js');
await main(process.argv);
