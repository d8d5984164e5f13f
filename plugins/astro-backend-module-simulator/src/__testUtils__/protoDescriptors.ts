/**
 * Reads the protobuf descriptors (gzipped `FileDescriptorProto`s) that Go
 * programs built with gogo-protobuf carry, e.g. kubectl's copies of
 * k8s.io/api's `generated.proto` files.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync, constants } from 'node:zlib';

/** One field of a message descriptor. */
export interface DescribedField {
  name: string;
  number: number;
  /** 3 for repeated. */
  label: number;
  /** 8 bool, 9 string, 11 message, 12 bytes, 3/5 int64/int32, … */
  type: number;
  /** For messages, e.g. `.k8s.io.api.core.v1.PodSpec`. */
  typeName?: string;
}

function varint(buf: Buffer, start: number): [number, number] {
  let result = 0;
  let scale = 1;
  let index = start;
  for (;;) {
    const byte = buf[index++];
    result += (byte % 128) * scale;
    scale *= 128;
    if (byte < 128 || index >= buf.length) return [result, index];
  }
}

function* fields(buf: Buffer): Generator<[number, number | Buffer]> {
  let index = 0;
  while (index < buf.length) {
    const [key, afterKey] = varint(buf, index);
    const wireType = key % 8;
    index = afterKey;
    if (wireType === 0) {
      const [value, next] = varint(buf, index);
      index = next;
      yield [Math.floor(key / 8), value];
    } else if (wireType === 2) {
      const [length, next] = varint(buf, index);
      if (next + length > buf.length) throw new Error('truncated');
      yield [Math.floor(key / 8), buf.subarray(next, next + length)];
      index = next + length;
    } else if (wireType === 1 || wireType === 5) {
      index += wireType === 1 ? 8 : 4;
    } else {
      throw new Error(`wire type ${wireType}`);
    }
  }
}

/**
 * Every message of the `k8s.io` descriptors in a binary, by full name
 * (e.g. `k8s.io.api.core.v1.ConfigMap`, nested `...ConfigMap.DataEntry`).
 */
export async function k8sMessageDescriptors(
  binaryPath: string,
): Promise<Map<string, DescribedField[]>> {
  const binary = await readFile(binaryPath);
  const messages = new Map<string, DescribedField[]>();
  const magic = Buffer.from([0x1f, 0x8b, 0x08]);
  const walk = (prefix: string, message: Buffer) => {
    let name = '';
    const described: DescribedField[] = [];
    const nested: Buffer[] = [];
    for (const [number, value] of fields(message)) {
      if (number === 1 && Buffer.isBuffer(value)) name = value.toString();
      if (number === 3 && Buffer.isBuffer(value)) nested.push(value);
      if (number === 2 && Buffer.isBuffer(value)) {
        const field: Partial<DescribedField> = {};
        for (const [n, v] of fields(value)) {
          if (n === 1 && Buffer.isBuffer(v)) field.name = v.toString();
          if (n === 3 && typeof v === 'number') field.number = v;
          if (n === 4 && typeof v === 'number') field.label = v;
          if (n === 5 && typeof v === 'number') field.type = v;
          if (n === 6 && Buffer.isBuffer(v)) field.typeName = v.toString();
        }
        described.push(field as DescribedField);
      }
    }
    const full = `${prefix}.${name}`;
    messages.set(full, described);
    nested.forEach(child => walk(full, child));
  };
  for (
    let at = binary.indexOf(magic);
    at >= 0;
    at = binary.indexOf(magic, at + 1)
  ) {
    let file: Buffer;
    try {
      file = gunzipSync(binary.subarray(at, at + 262_144), {
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch {
      continue;
    }
    try {
      let fileName = '';
      let pkg = '';
      const bodies: Buffer[] = [];
      for (const [number, value] of fields(file)) {
        if (!Buffer.isBuffer(value)) continue;
        if (number === 1) fileName = value.toString();
        if (number === 2) pkg = value.toString();
        if (number === 4) bodies.push(value);
      }
      if (fileName.startsWith('k8s.io/')) {
        bodies.forEach(body => walk(pkg, body));
      }
    } catch {
      // Not a descriptor.
    }
  }
  return messages;
}
