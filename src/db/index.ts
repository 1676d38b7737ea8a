export { connect, redact, type ConnectOptions, type Connection, type Backend } from './connect';
export { startEmbedded, EmbeddedDatabaseUnavailableError, EMBEDDED_PACKAGES, type EmbeddedOptions, type EmbeddedPGlite, type EmbeddedServer } from './embedded';
