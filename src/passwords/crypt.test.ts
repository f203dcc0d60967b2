// Vectors from python3 crypt (libxcrypt), `openssl passwd -1/-5/-6/-apr1` and `slappasswd -h {CRYPT}`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedHashError } from './errors.js';
import { parseMd5Crypt, verifyMd5Crypt } from './md5-crypt.js';
import { parseShaCrypt, verifyShaCrypt } from './sha-crypt.js';

const LONG = 'x'.repeat(70) + 'Ü'; // longer than one sha512 block, and not ASCII

const SHA_VECTORS: Array<[string, string]> = [
  [LONG, '$6$rounds=5000$toomanysaltsalt$J9cIfK1CJblj7nwrtXwC6oA4TPEfjT0TrSj5116j4O/tbK9/hHRi7Y.i/.zmkw3d4gwZxfzD6q766A4uJdzmE0'],
  ['secret', '$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1'],
  ['secret', '$6$rounds=10000$saltsaltsaltsalt$JfKXl4x07umbXIGXrz4jYnDtZt8fIFlNSby2poRKPSFD4PbiQHTxb2NLQPGuaML.ZXPWXKfgxibKFGp.yXoha.'],
  ['secret', '$6$rounds=5000$toomanysaltsalt$q9sUMWbMUvj4XQrEy0NG5AhyOaS9RKVXtgchzhhASVxACOrCRzdj9qBMvgVw8TVeCc7cFXQDY6OL0gcmE2rsg1'],
  ['secret', '$6$1pvk1h/V$wJTMzYBf3N7ANpaJAEZz6D.sVpJUHZbhX7blkZLSGRrjoSijdkufrFiETqAFPhfDEbbkbLtFD/BQb7/CxKYAm.'],
  ['pässwörd', '$6$xyz$oODo5ST8V2mRRV5H7S6GNZF5.is7jq1T/euzjW4rE4HNS7DeFkLlVJpXV7hX9L.AOK5LNc/dN1.4jGe0X8BZi0'],
  [LONG, '$6$saltsalt$jKnaMBwsO1xDmPtMhlmkaYjQsBHjXI1M.KkGrm1kD./835t2qHgD1KbiyJgLkhyiN4PWlwTBIHUL1pHLGRAof/'],
  ['', '$6$empty$MWslJBrCvUsbDfvDkNQwBNtJFEGiZ5CHosSR8Ol/yMiSd9JINPGkSH4OfOOVEIp87YcT49Wr.Qp4a8bJCR6y2/'],
  ['secret', '$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA'],
  ['secret', '$5$rounds=1000$abc$Mz4DiYKTnNKbZLo/mIp3d8Y4aQBhv3uhSwxLDy55/Y8'],
  ['secret', '$5$Iu3y4QFq5Q7fghY5$vf6k8cQ9peRE1d.kRL472.Bb7lOixeGiK/N3jCJh7N0'],
  [LONG, '$5$saltsalt$zNCvrqHnMpniF/spAUecJuEfeiU1jZ4SeSzHNHKffLC'],
  ['', '$5$empty$3K9/D2YPFYWGxmrKN0aBSx.KoWwkHU6Pdzn3GnrLXz6'],
];

const MD5_VECTORS: Array<[string, string]> = [
  ['secret', '$1$saltsalt$9xy1btjgzLYfb7hivXtC//'],
  ['secret', '$1$og83lSa6$w/KudalTJ3ChETaKQvaA8/'],
  ['', '$1$ab$rn6aQS/o7141mj179E/zA.'],
  ['a very long password over sixteen bytes', '$1$a$Q10zm0iBx/5qmymH52ts.1'],
  [LONG, '$1$saltsalt$mtVgEjrE12wZ0ITyUZ4UU1'],
  ['secret', '$apr1$saltsalt$LrttParrLPdxvgutaSXWJ0'],
];

describe('sha-crypt', () => {
  for (const [password, hash] of SHA_VECTORS) {
    it(`verifies ${hash.slice(0, 22)}…`, async () => {
      const parsed = parseShaCrypt(hash);
      assert.equal(await verifyShaCrypt(parsed, password), true);
      assert.equal(await verifyShaCrypt(parsed, password + 'x'), false);
    });
  }

  it('reads rounds and truncates salts to 16 characters', () => {
    assert.equal(parseShaCrypt(SHA_VECTORS[2]![1]).rounds, 10000);
    assert.equal(parseShaCrypt(SHA_VECTORS[1]![1]).rounds, null);
    assert.equal(parseShaCrypt('$6$saltsaltsaltsaltEXTRA$' + 'a'.repeat(86)).salt, 'saltsaltsaltsalt');
  });

  it('rejects malformed strings', () => {
    for (const bad of ['$6$salt$short', '$6$salt$' + '!'.repeat(86), '$5$salt$' + 'a'.repeat(86), '$6$rounds=x$s$' + 'a'.repeat(86)]) {
      assert.throws(() => parseShaCrypt(bad), MalformedHashError, bad);
    }
  });
});

describe('md5-crypt', () => {
  for (const [password, hash] of MD5_VECTORS) {
    it(`verifies ${hash}`, async () => {
      const parsed = parseMd5Crypt(hash);
      assert.equal(await verifyMd5Crypt(parsed, password), true);
      assert.equal(await verifyMd5Crypt(parsed, password + 'x'), false);
    });
  }

  it('rejects malformed strings', () => {
    assert.throws(() => parseMd5Crypt('$1$salt$tooshort'), MalformedHashError);
    assert.throws(() => parseMd5Crypt('$2$salt$9xy1btjgzLYfb7hivXtC//'), MalformedHashError);
  });
});
