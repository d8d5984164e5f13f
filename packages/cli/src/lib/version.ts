import packageJson from '../../package.json';

/** This package's version (inlined into dist by the build). */
export const CLI_VERSION: string = packageJson.version;
