import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Pages load lazily and the machines running the tests are small: give
// asynchronous queries time to see the first render of a test file.
configure({ asyncUtilTimeout: 5000 });

// Typing into forms with user-event takes a while on small machines.
jest.setTimeout(30_000);
