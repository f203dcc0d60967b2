/**
 * The attack mix, as agents on simulated time: each agent makes an attempt, waits for the answer
 * (the guard's delay included) and its own pause, then tries again, until it is done or banned.
 */
import type { Attempt } from '../../src/pipeline/attempt.js';

export type Population = 'bruteforce' | 'spraying' | 'distributed' | 'stuffing' | 'users' | 'phones' | 'office';
export const ATTACKS: readonly Population[] = ['bruteforce', 'spraying', 'distributed', 'stuffing'];

export interface Agent {
  population: Population;
  ip: string;
  /** Next attempt, or null when the agent is done. */
  next(step: number): { login: string; secret: string } | null;
  /** Seconds between attempts (after any delay the guard imposed). */
  pause: number;
  start: number;
  /** Attackers stop at their first ban; users keep trying. */
  stopsWhenBanned: boolean;
}

const HOUR = 3600;
export const ATTACK_START = HOUR; // an hour of ordinary traffic first: the guard learns good clients
export const DURATION = 4 * HOUR;

export function passwords(): Map<string, string> {
  const pw = new Map<string, string>();
  for (let i = 0; i < 1000; i++) pw.set(`user${i}`, `pw-user${i}`);
  for (let i = 0; i < 200; i++) pw.set(`office${i}`, `pw-office${i}`);
  for (let i = 0; i < 20; i++) pw.set(`phone${i}`, `pw-phone${i}`);
  pw.set('victim', 'pw-victim');
  return pw;
}

const ip = (a: number, b: number, c: number) => `127.${a}.${b}.${c}`;
const seq = (n: number, f: (i: number) => { login: string; secret: string }) => (step: number) => (step < n ? f(step) : null);

export function agents(random: () => number): Agent[] {
  const out: Agent[] = [];
  const at = (spread: number) => ATTACK_START + random() * spread;
  // Attacks.
  out.push({ population: 'bruteforce', ip: ip(10, 0, 1), start: at(60), pause: 1, stopsWhenBanned: true, next: seq(1000, (i) => ({ login: 'user1', secret: `guess${i}` })) });
  out.push({ population: 'spraying', ip: ip(11, 0, 1), start: at(60), pause: 1, stopsWhenBanned: true, next: seq(1000, (i) => ({ login: `user${i}`, secret: 'Summer2025!' })) });
  for (let k = 0; k < 2000; k++) {
    // A botnet: each address a few guesses a minute apart, all on one account.
    out.push({ population: 'distributed', ip: ip(20 + (k >> 8), k & 255, 7), start: at(600), pause: 60, stopsWhenBanned: true, next: seq(5, (i) => ({ login: 'victim', secret: `bot${k}-${i}` })) });
  }
  for (let k = 0; k < 50; k++) {
    // Credential stuffing: leaked pairs, each pair tried once.
    out.push({ population: 'stuffing', ip: ip(30, k, 1), start: at(300), pause: 2, stopsWhenBanned: true, next: seq(100, (i) => ({ login: `user${(k * 100 + i) % 1000}`, secret: `leak${k}-${i}` })) });
  }
  // Legitimate traffic, from the first second.
  for (let u = 0; u < 500; u++) {
    // Every 5 minutes; one login in 20 starts with a typo.
    out.push({ population: 'users', ip: ip(40 + (u >> 8), u & 255, 9), start: random() * 300, pause: 300, stopsWhenBanned: false, next: (i) => ({ login: `user${u}`, secret: i % 20 === 3 ? `typo${i}` : `pw-user${u}` }) });
  }
  out.push({ population: 'users', ip: ip(45, 0, 9), start: 10, pause: 300, stopsWhenBanned: false, next: () => ({ login: 'victim', secret: 'pw-victim' }) });
  for (let p = 0; p < 20; p++) {
    out.push({ population: 'phones', ip: ip(50, p, 3), start: random() * 60, pause: 60, stopsWhenBanned: false, next: () => ({ login: `phone${p}`, secret: 'last-years-password' }) });
  }
  for (let o = 0; o < 200; o++) {
    out.push({ population: 'office', ip: ip(60, 0, 1), start: random() * 600, pause: 600, stopsWhenBanned: false, next: (i) => ({ login: `office${o}`, secret: i % 10 === 5 ? `typo${i}` : `pw-office${o}` }) });
  }
  return out;
}

export function toAttempt(agent: Agent, login: string, secret: string): Attempt {
  return { login, secret, mode: 'authenticate', protocol: 'imap', clientIp: agent.ip, relayIp: null, tls: true, frontEnd: 'bench' };
}

/** A deterministic generator, so every run tells the same story. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
