import { installKubeClients } from '../__testUtils__/kubeClients';
import {
  DescribedField,
  k8sMessageDescriptors,
} from '../__testUtils__/protoDescriptors';
import { MESSAGES, messageFields } from './messages';

jest.setTimeout(60_000);

const SPECIAL: Record<string, string> = {
  Time: 'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  IntOrString: 'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  Quantity: 'k8s.io.apimachinery.pkg.api.resource.Quantity',
  FieldsV1: 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
};

/** Whether a described field has the type a table entry gives it. */
function sameType(type: string, repeated: boolean, field: DescribedField) {
  const map = /^map(?:<(\w+)>)?$/.exec(type);
  if (map) {
    // Maps are repeated `…Entry` messages.
    return (
      field.label === 3 &&
      field.type === 11 &&
      /Entry$/.test(field.typeName ?? '')
    );
  }
  if ((field.label === 3) !== repeated) return false;
  switch (type) {
    case 'string':
      return field.type === 9;
    case 'bytes':
      return field.type === 12;
    case 'bool':
      return field.type === 8;
    case 'int':
      return [3, 4, 5, 13, 17, 18].includes(field.type);
    case 'Ignored':
      return field.type === 11;
    default:
      return (
        field.type === 11 &&
        (field.typeName === `.${SPECIAL[type]}` ||
          (field.typeName ?? '').endsWith(`.${type}`))
      );
  }
}

describe('the protobuf field table', () => {
  it('matches the descriptors compiled into kubectl 1.32', async () => {
    const { kubectl } = await installKubeClients();
    const descriptors = await k8sMessageDescriptors(kubectl);
    expect(descriptors.size).toBeGreaterThan(500);
    const mismatches: string[] = [];
    for (const message of Object.keys(MESSAGES)) {
      const candidates = [...descriptors.entries()].filter(([name]) =>
        name.endsWith(`.${message}`),
      );
      const matches = candidates.some(([, described]) =>
        [...messageFields(message)!.values()].every(spec => {
          const field = described.find(f => f.number === spec.number);
          return (
            field?.name === spec.name &&
            sameType(spec.type, spec.repeated, field)
          );
        }),
      );
      if (!matches) {
        mismatches.push(message);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
