/**
 * Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`)
 * of request bodies into the JSON form of the API: the `k8s\0` envelope, a
 * `runtime.Unknown` naming apiVersion and kind, and the object's message.
 */
import { statusErrors } from '../api/status';
import { messageFields, POINTER_FIELDS } from './messages';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type WireValue = number | Buffer;

interface WireField {
  number: number;
  wireType: number;
  value: WireValue;
}

function invalid(reason: string) {
  return statusErrors.badRequest(`invalid protobuf body: ${reason}`);
}

function readVarint(buf: Buffer, offset: number): [number, number] {
  let result = 0;
  let scale = 1;
  let index = offset;
  for (;;) {
    if (index >= buf.length || index - offset > 9) {
      throw invalid('truncated varint');
    }
    const byte = buf[index++];
    result += (byte % 128) * scale;
    scale *= 128;
    if (byte < 128) {
      return [result, index];
    }
  }
}

function wireFields(buf: Buffer): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const [key, afterKey] = readVarint(buf, offset);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    offset = afterKey;
    if (wireType === 0) {
      const [value, next] = readVarint(buf, offset);
      fields.push({ number, wireType, value });
      offset = next;
    } else if (wireType === 2) {
      const [length, next] = readVarint(buf, offset);
      if (next + length > buf.length) {
        throw invalid('truncated field');
      }
      fields.push({
        number,
        wireType,
        value: buf.subarray(next, next + length),
      });
      offset = next + length;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      fields.push({
        number,
        wireType,
        value: buf.subarray(offset, offset + size),
      });
      offset += size;
    } else {
      throw invalid(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

function asBuffer(field: WireField, where: string): Buffer {
  if (!Buffer.isBuffer(field.value)) {
    throw invalid(`${where} is not length-delimited`);
  }
  return field.value;
}

function asNumber(field: WireField, where: string): number {
  if (typeof field.value !== 'number') {
    throw invalid(`${where} is not a varint`);
  }
  return field.value;
}

/** A signed 64-bit varint read as a double (two's complement). */
function signed(value: number): number {
  return value >= 2 ** 63 ? value - 2 ** 64 : value;
}

function time(buf: Buffer): string | undefined {
  let seconds = 0;
  for (const field of wireFields(buf)) {
    if (field.number === 1) seconds = signed(asNumber(field, 'Time.seconds'));
  }
  return seconds === 0
    ? undefined
    : new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function intOrString(buf: Buffer): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  for (const field of wireFields(buf)) {
    if (field.number === 1) type = asNumber(field, 'IntOrString.type');
    if (field.number === 2)
      intVal = signed(asNumber(field, 'IntOrString.intVal'));
    if (field.number === 3)
      strVal = asBuffer(field, 'IntOrString.strVal').toString('utf8');
  }
  return type === 1 ? strVal : intVal;
}

function quantity(buf: Buffer): string {
  const field = wireFields(buf).find(f => f.number === 1);
  return field ? asBuffer(field, 'Quantity.string').toString('utf8') : '0';
}

function scalar(type: string, field: WireField, where: string): unknown {
  switch (type) {
    case 'string':
      return asBuffer(field, where).toString('utf8');
    case 'bytes':
      return asBuffer(field, where).toString('base64');
    case 'int':
      return signed(asNumber(field, where));
    case 'bool':
      return asNumber(field, where) !== 0;
    case 'Time':
      return time(asBuffer(field, where));
    case 'IntOrString':
      return intOrString(asBuffer(field, where));
    case 'Quantity':
      return quantity(asBuffer(field, where));
    case 'FieldsV1Raw':
      return JSON.parse(asBuffer(field, where).toString('utf8'));
    default:
      // eslint-disable-next-line @typescript-eslint/no-use-before-define
      return message(type, asBuffer(field, where), where);
  }
}

function mapEntry(type: string, buf: Buffer, where: string): [string, unknown] {
  let key = '';
  let value: unknown = type === 'Quantity' ? '0' : '';
  for (const field of wireFields(buf)) {
    if (field.number === 1)
      key = asBuffer(field, `${where} key`).toString('utf8');
    if (field.number === 2) value = scalar(type, field, `${where}[${key}]`);
  }
  return [key, value];
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  );
}

/** Whether proto2 wrote a plain field's zero value, which JSON omits. */
function isOmittedZero(name: string, value: unknown): boolean {
  if (value === undefined || value === '' || isEmptyObject(value)) {
    return true;
  }
  return (value === 0 || value === false) && !POINTER_FIELDS.has(name);
}

function message(
  type: string,
  buf: Buffer,
  where: string,
): Record<string, unknown> {
  if (type === 'Ignored') {
    // A status sent with a create: the API server ignores it.
    return {};
  }
  if (type === 'FieldsV1') {
    const raw = wireFields(buf).find(f => f.number === 1);
    return raw
      ? (scalar('FieldsV1Raw', raw, where) as Record<string, unknown>)
      : {};
  }
  const spec = messageFields(type);
  if (!spec) {
    throw statusErrors.badRequest(
      `the simulator cannot decode protobuf message ${type} (at ${where}); send JSON instead`,
    );
  }
  const result: Record<string, unknown> = {};
  for (const field of wireFields(buf)) {
    const fieldSpec = spec.get(field.number);
    if (!fieldSpec) {
      throw statusErrors.badRequest(
        `the simulator cannot decode field ${field.number} of protobuf message ${type} (at ${where}); send JSON instead`,
      );
    }
    const path = `${where}.${fieldSpec.name}`;
    const map = /^map(?:<(\w+)>)?$/.exec(fieldSpec.type);
    if (map) {
      const [key, value] = mapEntry(
        map[1] ?? 'string',
        asBuffer(field, path),
        path,
      );
      const entries = (result[fieldSpec.name] ?? {}) as Record<string, unknown>;
      entries[key] = value;
      result[fieldSpec.name] = entries;
    } else if (fieldSpec.repeated) {
      const list = (result[fieldSpec.name] ?? []) as unknown[];
      list.push(scalar(fieldSpec.type, field, `${path}[${list.length}]`));
      result[fieldSpec.name] = list;
    } else {
      const value = scalar(fieldSpec.type, field, path);
      if (isOmittedZero(fieldSpec.name, value)) {
        delete result[fieldSpec.name];
      } else {
        result[fieldSpec.name] = value;
      }
    }
  }
  return result;
}

/**
 * Decodes a protobuf request body into the object's JSON form, with the
 * `apiVersion` and `kind` of its envelope. `400 BadRequest` for a body
 * that is not Kubernetes protobuf or holds a message the simulator does not
 * know.
 */
export function decodeKubernetesProtobuf(
  body: Buffer,
): Record<string, unknown> {
  if (
    body.length < MAGIC.length ||
    !body.subarray(0, MAGIC.length).equals(MAGIC)
  ) {
    throw invalid(
      'the body does not start with the Kubernetes protobuf magic number',
    );
  }
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  for (const field of wireFields(body.subarray(MAGIC.length))) {
    if (field.number === 1) {
      for (const meta of wireFields(asBuffer(field, 'typeMeta'))) {
        const text = asBuffer(meta, 'typeMeta').toString('utf8');
        if (meta.number === 1) apiVersion = text;
        if (meta.number === 2) kind = text;
      }
    } else if (field.number === 2) {
      raw = asBuffer(field, 'raw');
    } else if (
      field.number === 3 &&
      asBuffer(field, 'contentEncoding').length > 0
    ) {
      throw invalid('content encodings are not supported');
    }
  }
  if (!kind) {
    throw invalid('the envelope names no kind');
  }
  return {
    ...(apiVersion ? { apiVersion } : {}),
    kind,
    ...message(kind, raw ?? Buffer.alloc(0), kind),
  };
}
