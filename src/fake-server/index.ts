/** The local fake Anthropic Messages API used by tests, the demo and end-to-end runs. */
export { startFakeServer, type FakeServer, type FakeServerOptions, type RecordedRequest } from './server.js';
export {
  runFakeServerCommand,
  parseFakeServerArgs,
  FAKE_SERVER_USAGE,
  type FakeServerArgs,
  type FakeServerCommandIo,
} from './command.js';
export {
  loadCassette,
  parseCassette,
  type Cassette,
  type CassetteBlock,
  type CassetteFault,
  type CassetteTurn,
  type LoadedCassette,
} from './cassette.js';
export { DEFAULT_AGENT } from './turn-script.js';
