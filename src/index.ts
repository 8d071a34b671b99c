export { startServer, type RunningServer, type StartOptions } from './server.js';
export { loadConfig, parseConfig, type Config } from './config.js';
