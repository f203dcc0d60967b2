// Controls attached to an LDAPMessage (RFC 4511 §4.1.11): decoded generically, typed elsewhere.

import type { BerReader } from '../ber/reader.js';
import type { BerWriter } from '../ber/writer.js';
import { Tag, CONTROLS_TAG } from '../ber/tags.js';

export interface Control {
  /** The control's OID. */
  type: string;
  /** If true and the server does not support the control, it must fail with unavailableCriticalExtension. */
  critical: boolean;
  /** Raw controlValue, to be decoded by the control's own codec. */
  value?: Buffer;
}

/** Reads the `[0] Controls` element (the reader is positioned on its tag). */
export function readControls(r: BerReader): Control[] {
  const seq = r.readConstructed(CONTROLS_TAG);
  const controls: Control[] = [];
  while (seq.hasMore()) {
    const c = seq.readConstructed(Tag.sequence);
    const control: Control = { type: c.readString(), critical: false };
    if (c.peekTag() === Tag.boolean) control.critical = c.readBoolean();
    if (c.peekTag() === Tag.octetString) control.value = c.readOctetString();
    controls.push(control);
  }
  return controls;
}

/** Writes `[0] Controls`; writes nothing for an empty list (the field is optional). */
export function writeControls(w: BerWriter, controls: readonly Control[]): void {
  if (controls.length === 0) return;
  w.startSequence(CONTROLS_TAG);
  for (const control of controls) {
    w.startSequence(Tag.sequence);
    w.writeOctetString(control.type);
    // DEFAULT FALSE: omitted when false, as DER-minded clients expect.
    if (control.critical) w.writeBoolean(true);
    if (control.value !== undefined) w.writeOctetString(control.value);
    w.endSequence();
  }
  w.endSequence();
}
