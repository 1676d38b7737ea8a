export { connect, redact, type ConnectOptions, type Database, type Backend } from './connect';
export { startEmbedded, type EmbeddedOptions, type EmbeddedServer } from './embedded';
