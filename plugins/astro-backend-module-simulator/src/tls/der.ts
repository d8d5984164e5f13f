/**
 * The few ASN.1 DER encodings an X.509 certificate needs. Each function
 * returns the complete encoding (tag, length, contents) of one value.
 */

function lengthOf(size: number): Buffer {
  if (size < 0x80) {
    return Buffer.from([size]);
  }
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 + bytes.length, ...bytes]);
}

/** A value of any tag with the given contents. */
export function tagged(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), lengthOf(body.length), body]);
}

export const sequence = (...items: Buffer[]) => tagged(0x30, ...items);
export const set = (...items: Buffer[]) => tagged(0x31, ...items);
export const octetString = (value: Buffer) => tagged(0x04, value);
export const utf8String = (value: string) =>
  tagged(0x0c, Buffer.from(value, 'utf8'));
export const booleanTrue = () => tagged(0x01, Buffer.from([0xff]));
/** `[n] EXPLICIT` around one value. */
export const explicit = (n: number, value: Buffer) => tagged(0xa0 + n, value);

/** A non-negative INTEGER from its big-endian bytes. */
export function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  const trimmed = bytes.subarray(start);
  // A leading zero keeps a value with the top bit set positive.
  return tagged(
    0x02,
    trimmed[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed,
  );
}

/** A BIT STRING whose last byte has `unusedBits` padding bits. */
export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tagged(0x03, Buffer.from([unusedBits]), bytes);
}

/** An OBJECT IDENTIFIER from its dotted form, e.g. `2.5.4.3`. */
export function objectIdentifier(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const groups: number[] = [];
    let rest = part;
    do {
      groups.unshift(rest % 128);
      rest = Math.floor(rest / 128);
    } while (rest > 0);
    groups.forEach((group, index) =>
      bytes.push(index < groups.length - 1 ? group + 0x80 : group),
    );
  }
  return tagged(0x06, Buffer.from(bytes));
}

/** A UTCTime (`YYMMDDHHMMSSZ`), valid for years 1950 to 2049. */
export function utcTime(date: Date): Buffer {
  const text = date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:T]/g, '')
    .slice(2);
  return tagged(0x17, Buffer.from(text, 'ascii'));
}
