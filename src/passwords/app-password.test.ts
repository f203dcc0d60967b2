import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { APP_PASSWORD_ALPHABET, APP_PASSWORD_BITS, generateAppPassword, looksLikeAppPassword, normalizeAppPassword } from './app-password.js';

const STALWART_APP_PASSWORD = /^app_[A-Z2-7]{36}$/i;

describe('application passwords', () => {
  it('generates 4 dash-separated groups of 4 unambiguous characters', () => {
    for (let i = 0; i < 200; i++) {
      const value = generateAppPassword();
      assert.match(value, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      assert.doesNotMatch(value, /[01oil]/);
      assert.equal(looksLikeAppPassword(value), true);
    }
    assert.ok(APP_PASSWORD_BITS > 79);
  });

  it('never looks like a Stalwart app password', () => {
    for (let i = 0; i < 1000; i++) {
      const value = generateAppPassword();
      assert.doesNotMatch(value, STALWART_APP_PASSWORD);
      assert.doesNotMatch(value.replaceAll('-', ''), STALWART_APP_PASSWORD);
    }
  });

  it('rejects out-of-range bytes instead of folding them (no modulo bias)', () => {
    // Low five bits 31 (0x1f, 0xff) must be skipped; 30 maps to the last character.
    const bytes = [0x1f, 0xff, 0x1e, ...Array<number>(40).fill(0x00)];
    const random = (size: number) => Uint8Array.from(bytes.splice(0, size));
    const value = generateAppPassword(random);
    assert.equal(value.replaceAll('-', ''), APP_PASSWORD_ALPHABET.at(-1) + 'a'.repeat(15));
  });

  it('normalizes what a user types on a phone', () => {
    assert.equal(normalizeAppPassword('K7FW M2QX 9TBE HP4C'), 'k7fw-m2qx-9tbe-hp4c');
    assert.equal(normalizeAppPassword('k7fwm2qx9tbehp4c'), 'k7fw-m2qx-9tbe-hp4c');
    assert.equal(normalizeAppPassword(' k7fw-m2qx-9tbe-hp4c\n'), 'k7fw-m2qx-9tbe-hp4c');
    for (const bad of ['k7fw-m2qx-9tbe', 'k7fw-m2qx-9tbe-hp4c-aaaa', 'k0fw-m2qx-9tbe-hp4c', 'app_ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCD', '']) {
      assert.equal(normalizeAppPassword(bad), null, bad);
      assert.equal(looksLikeAppPassword(bad), false, bad);
    }
  });
});
