/** Small reusable schema pieces for configuration sections. */
import { isIP } from 'node:net';
import { z } from 'zod';

export const port = z.number().int().min(0).max(65535);

/** An address or CIDR block, IPv4 or IPv6, e.g. 10.0.0.0/8 or ::1. */
export const cidr = z.string().refine(isCidr, { message: 'expected an IP address or CIDR block such as 192.0.2.0/24' });

export function isCidr(value: string): boolean {
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export const listen = (defaultPort: number, defaultHost = '127.0.0.1') =>
  z
    .strictObject({
      host: z.string().min(1).default(defaultHost),
      port: port.default(defaultPort),
    })
    .prefault({});
