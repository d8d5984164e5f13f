import {
  clusterFormOf,
  createBodyOf,
  emptyClusterForm,
  firstInvalidField,
  serverErrorsOf,
  updateBodyOf,
  validateClusterForm,
} from './clusterForm';
import { cluster } from '../../__testUtils__/fixtures';

describe('the cluster form', () => {
  it('names what the API refused by form field, connection fields included', () => {
    expect(
      serverErrorsOf(
        'connection.caData: must NOT have more than 20000 characters; region: is required; connection: is not a known field',
      ),
    ).toEqual({
      caData: 'must NOT have more than 20000 characters',
      region: 'is required',
    });
  });

  it('orders errors as the form shows its fields', () => {
    expect(firstInvalidField({ token: 'x', provider: 'y' })).toBe('provider');
    expect(firstInvalidField({})).toBeUndefined();
  });

  it('checks names and server URLs before anything is sent', () => {
    const errors = validateClusterForm(
      {
        ...emptyClusterForm(),
        name: 'Prod_EU',
        provider: 'aws',
        region: 'eu',
        server: 'ftp://10.0.0.1',
        token: 't',
      },
      'create',
    );
    expect(Object.keys(errors)).toEqual(['name', 'server']);
  });

  it('sends an edit without a connection unless one is typed, and never the stored one', () => {
    const values = clusterFormOf({ ...cluster, source: 'api' });
    expect(validateClusterForm(values, 'edit')).toEqual({});
    expect(updateBodyOf(values, 3)).toEqual({
      title: 'Built-in simulator',
      description: '',
      version: 3,
    });
    expect(
      validateClusterForm({ ...values, token: 'only-a-token' }, 'edit'),
    ).toEqual({ server: 'Required' });
  });

  it('leaves the organization out of a standard cluster and trims what was typed', () => {
    expect(
      createBodyOf({
        ...emptyClusterForm(),
        name: 'lab',
        organization: 'acme',
        provider: ' on-prem ',
        region: 'basement',
        server: ' https://10.0.0.9:6443 ',
        token: 'tok',
        caData: 'LS0t',
      }),
    ).toEqual({
      name: 'lab',
      type: 'standard',
      provider: 'on-prem',
      region: 'basement',
      connection: {
        server: 'https://10.0.0.9:6443',
        token: 'tok',
        caData: 'LS0t',
      },
    });
  });
});
