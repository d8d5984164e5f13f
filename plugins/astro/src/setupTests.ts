import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { webcrypto } from 'node:crypto';

// Pages load lazily and the machines running the tests are small: give
// asynchronous queries time to see the first render of a test file.
configure({ asyncUtilTimeout: 5000 });

// Typing into forms with user-event takes a while on small machines.
jest.setTimeout(30_000);

// Browsers offer Web Crypto's digest on pages served over HTTPS; jsdom does
// not, so tests get Node's implementation of the same interface.
if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis.crypto, 'subtle', {
    value: webcrypto.subtle,
    configurable: true,
  });
}

// jsdom's File and Blob lack arrayBuffer(), which every browser has; read
// them with jsdom's FileReader instead.
const jsdomBlob = Object.getPrototypeOf(File.prototype) as Blob;
if (typeof jsdomBlob.arrayBuffer !== 'function') {
  Object.defineProperty(jsdomBlob, 'arrayBuffer', {
    configurable: true,
    value(this: Blob) {
      return new Promise<ArrayBuffer>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result as ArrayBuffer);
        reader.onerror = () => reject(reader.error);
        reader.readAsArrayBuffer(this);
      });
    },
  });
}
