/** Injected by the bundler from package.json; the fallback serves unbundled test runs. */
declare const __TRAINYARD_VERSION__: string | undefined;

export const trainyardVersion: string = typeof __TRAINYARD_VERSION__ === 'string' ? __TRAINYARD_VERSION__ : '0.0.0-dev';
